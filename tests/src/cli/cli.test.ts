import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { latestMigration, migrations } from '@firstmile/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const bin = path.join(root, 'node_modules', '.bin', 'firstmile');
// DATABASE_URL from the outer environment must not steer these runs to another server.
const env = { ...process.env, DATABASE_URL: '', NO_COLOR: '1' };

function firstmile(args: string[]) {
  const result = spawnSync(bin, args, { cwd: root, env, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts a long-running command and resolves when its output matches. */
function startUntil(args: string[], ready: RegExp): Promise<{ child: ChildProcessWithoutNullStreams; match: RegExpExecArray; output: () => string }> {
  const child = spawn(bin, args, { cwd: root, env });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${ready}:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match, output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ${ready}:\n${output}`));
    });
  });
}

function exitOf(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

describe('the firstmile command', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'firstmile-cli-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('lists its commands, and every command has --help', () => {
    const help = firstmile(['--help']);
    expect(help.status).toBe(0);
    for (const command of ['serve', 'migrate', 'generate', 'demo', 'etl']) {
      expect(help.stdout).toContain(command);
      const own = firstmile([command, '--help']);
      expect(own.status, command).toBe(0);
      expect(own.stdout).toContain(`Usage: firstmile ${command}`);
    }
    // Each spawn compiles the CLI afresh; on a busy 2-core machine that adds up.
  }, 180_000);

  it('rejects bad arguments with a clear message and a non-zero exit', () => {
    const badPort = firstmile(['serve', '--port', 'abc']);
    expect(badPort.status).toBe(1);
    expect(badPort.stderr).toContain("option '--port <port>' argument 'abc' is invalid. --port must be a whole number from 0 to 65535");
    const badPeople = firstmile(['generate', '--people', '-5']);
    expect(badPeople.status).toBe(1);
    expect(badPeople.stderr).toContain('must be a whole number from 1 to 50000000');
    const unknown = firstmile(['fly']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("unknown command 'fly'");
  });

  it('migrates an empty embedded database, then finds nothing to do', () => {
    const first = firstmile(['migrate', '--data-dir', dataDir]);
    expect(first.stderr).toContain('initialised a new cluster');
    expect(first.status).toBe(0);
    expect(first.stdout.trim()).toBe(`applied ${Object.keys(migrations).join(', ')}; now at ${latestMigration}`);
    const second = firstmile(['migrate', '--data-dir', dataDir]);
    expect(second.status).toBe(0);
    expect(second.stdout.trim()).toBe(`already at the latest version: ${latestMigration}`);
  });

  it('generates a world into an empty database only', () => {
    const generated = firstmile(['generate', '--people', '150', '--seed', '7', '--data-dir', dataDir]);
    expect(generated.stderr).not.toContain('unexpected error');
    expect(generated.status).toBe(0);
    expect(generated.stdout).toContain('generated a world from seed 7 with 150 people');
    const contacts = /contacts\s+([\d,]+)/.exec(generated.stdout);
    expect(Number(contacts?.[1]?.replaceAll(',', ''))).toBeGreaterThan(150);
    const again = firstmile(['generate', '--people', '150', '--data-dir', dataDir]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('the database already holds organisations');
  });

  it('runs the ETL: everything the first time, nothing when nothing changed, everything again with --full', () => {
    const first = firstmile(['etl', '--data-dir', dataDir]);
    expect(first.stderr).not.toContain('unexpected error');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^full run 1 \(first run\) in [\d.]+ s: [\d,]+ rows written/);
    const people = /people recomputed\s+([\d,]+)/.exec(first.stdout);
    expect(Number(people?.[1]?.replaceAll(',', ''))).toBeGreaterThanOrEqual(150);
    const again = firstmile(['etl', '--data-dir', dataDir]);
    expect(again.status).toBe(0);
    expect(again.stdout.trim()).toBe('nothing new since the last run: the analytics tables are up to date');
    const full = firstmile(['etl', '--full', '--data-dir', dataDir]);
    expect(full.status).toBe(0);
    expect(full.stdout).toMatch(/^full run 2 \(asked for\)/);
  }, 180_000);

  it('demo prints a working key for each role and revokes the previous start\'s keys', async () => {
    const keysOf = async () => {
      const { child, match, output } = await startUntil(['demo', '--port', '0', '--data-dir', dataDir], /serving at (http:\/\/127\.0\.0\.1:\d+)/);
      const keys = Object.fromEntries([...output().matchAll(/^ {2}(admin|submitter|analyst|funder|commissioner) +.+ (fm_\S+)$/gm)].map((m) => [m[1], m[2]]));
      return { child, url: match[1]!, keys, output };
    };
    const first = await keysOf();
    expect(Object.keys(first.keys).sort()).toEqual(['admin', 'analyst', 'commissioner', 'funder', 'submitter']);
    const asAdmin = await fetch(`${first.url}/v1/organisations`, { headers: { authorization: `Bearer ${first.keys.admin}` } });
    expect(asAdmin.status).toBe(200);
    expect(((await asAdmin.json()) as { organisations: unknown[] }).organisations.length).toBeGreaterThanOrEqual(14);
    // The figures are there from the first request: the demo runs the ETL before serving.
    const outcomes = await fetch(`${first.url}/v1/outcomes?grain=year`, { headers: { authorization: `Bearer ${first.keys.funder}` } });
    expect(outcomes.status).toBe(200);
    expect(((await outcomes.json()) as { outcomes: unknown[] }).outcomes.length).toBeGreaterThan(0);
    first.child.kill('SIGINT');
    expect(await exitOf(first.child), first.output()).toBe(0);

    const second = await keysOf();
    try {
      const old = await fetch(`${second.url}/v1/organisations`, { headers: { authorization: `Bearer ${first.keys.funder}` } });
      expect(old.status).toBe(401);
      const fresh = await fetch(`${second.url}/v1/organisations`, { headers: { authorization: `Bearer ${second.keys.funder}` } });
      expect(fresh.status).toBe(200);
    } finally {
      second.child.kill('SIGINT');
    }
    expect(await exitOf(second.child), second.output()).toBe(0);
  });

  it('serves /health on the embedded database and stops cleanly on SIGINT', async () => {
    const { child, match, output } = await startUntil(
      ['serve', '--port', '0', '--data-dir', dataDir],
      /serving at (http:\/\/127\.0\.0\.1:\d+)/,
    );
    try {
      const response = await fetch(`${match[1]}/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'ok', database: { kind: 'embedded', migration: latestMigration } });
    } finally {
      child.kill('SIGINT');
    }
    expect(await exitOf(child), output()).toBe(0);
  });
});

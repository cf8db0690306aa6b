import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, databaseUrl, pgTargets } from '../testing/index.ts';
import { DurabilityError } from './durability.ts';
import { readPostmasterPid } from './embedded.ts';
import { databaseStatus, openDatabase, redactUrl } from './factory.ts';
import { latestMigration } from './migrations.ts';

async function waitUntilDead(pid: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`process ${pid} still alive`);
}

describe('the embedded database (no DATABASE_URL)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'firstmile-factory-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('initialises a cluster in the data folder, migrates on start, and keeps data across restarts', async () => {
    const first = await openDatabase({ dataDir: dir });
    expect(first.kind).toBe('embedded');
    expect(first.notes[0]).toMatch(/^initialised a new cluster in /);
    const status = await databaseStatus(first);
    expect(status).toMatchObject({ kind: 'embedded', migration: latestMigration });
    expect(Number(status.serverVersion.split('.')[0])).toBeGreaterThanOrEqual(15);
    await first.db.insertInto('organisations').values({ name: 'Kept Across Restarts', kind: 'provider' }).execute();
    await first.close();

    const second = await openDatabase({ dataDir: dir });
    expect(second.notes.some((n) => n.startsWith('initialised'))).toBe(false);
    const names = await second.db.selectFrom('organisations').select('name').execute();
    expect(names).toEqual([{ name: 'Kept Across Restarts' }]);
    await second.close();
  });

  it('lets a second process join the running cluster instead of refusing', async () => {
    const owner = await openDatabase({ dataDir: dir });
    const joiner = await openDatabase({ dataDir: dir });
    expect(joiner.notes[0]).toMatch(/^joined the cluster already running/);
    await joiner.close();
    // Closing the joiner must not stop the owner's server.
    const rows = await owner.db.selectFrom('metrics').select('key').execute();
    expect(rows.length).toBeGreaterThanOrEqual(12);
    await owner.close();
  });

  it('recovers from a kill -9 that left a stale postmaster.pid', async () => {
    const victim = await openDatabase({ dataDir: dir });
    const lock = await readPostmasterPid(path.join(dir, 'pg'));
    expect(lock).not.toBeNull();
    await victim.db.destroy();
    execFileSync('kill', ['-9', String(lock!.pid)]);
    await waitUntilDead(lock!.pid);
    // Backends notice the dead postmaster and exit; give them a moment to release memory.
    await new Promise((r) => setTimeout(r, 500));

    const revived = await openDatabase({ dataDir: dir });
    expect(revived.notes).toContain(
      `removed a stale postmaster.pid left by pid ${lock!.pid}, which is no longer running`,
    );
    const names = await revived.db.selectFrom('organisations').select('name').execute();
    expect(names).toEqual([{ name: 'Kept Across Restarts' }]);
    await revived.close();
  });

  it('refuses to run on a cluster started with fsync off, and says why', async () => {
    const unsafeDir = await mkdtemp(path.join(os.tmpdir(), 'firstmile-unsafe-'));
    try {
      const attempt = openDatabase({ dataDir: unsafeDir, embeddedFlags: ['-c', 'fsync=off', '-c', 'full_page_writes=off'] });
      await expect(attempt).rejects.toBeInstanceOf(DurabilityError);
      await expect(attempt).rejects.toThrow(/Refusing to start: .* has fsync, full_page_writes turned off/);
    } finally {
      await rm(unsafeDir, { recursive: true, force: true });
    }
  });
});

describe.each(pgTargets())('a PostgreSQL server through DATABASE_URL ($name)', (target) => {
  it('opens with a pg pool, reports kind "server", and hides the password', async () => {
    const t = await createTestDatabase(target);
    try {
      expect(t.kind).toBe('server');
      const password = decodeURIComponent(new URL(t.url).password);
      if (password) expect(t.location).not.toContain(password);
      expect(t.location).toBe(redactUrl(t.url));
      expect(redactUrl('postgres://u:secret@h:5432/d')).toBe('postgres://u:***@h:5432/d');
      expect((await databaseStatus(t)).migration).toBe(latestMigration);
    } finally {
      await t.drop();
    }
  });

  it('refuses a database where synchronous_commit is off, naming the setting', async () => {
    const t = await createTestDatabase(target);
    try {
      const admin = new pg.Client({ connectionString: target.adminUrl });
      await admin.connect();
      await admin.query(`ALTER DATABASE ${t.name} SET synchronous_commit = off`);
      await admin.end();
      const attempt = openDatabase({ url: databaseUrl(target.adminUrl, t.name) });
      await expect(attempt).rejects.toThrow(
        'Refusing to start: this PostgreSQL server has synchronous_commit turned off',
      );
    } finally {
      await t.drop();
    }
  });
});

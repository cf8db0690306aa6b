import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTenants, TEST_PSEUDONYM_KEY, type Tenants } from '@firstmile/api/testing';
import { createTestDatabase, pgTargets, type TestDatabase } from '@firstmile/schema/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `firstmile import contacts <file>`: the real command, against a database of this suite's
 * own on the test server (DATABASE_URL), with a fixed pseudonym key.
 */

const root = path.resolve(import.meta.dirname, '../../..');
const bin = path.join(root, 'node_modules', '.bin', 'firstmile');

const header = 'service_id,person_id,person_ref,need_ref,occurred_at,minutes,cost_gbp,channel,outcome,source_contact_id';

/** Four good rows (three with raw case numbers, one with the caller's own pseudonym) and a bad one on line 6. */
function contactsCsv(serviceId: string): string {
  return [
    header,
    `${serviceId},CANARY-CASE-0001,,,2025-01-06T09:00:00Z,30,,face_to_face,ongoing,`,
    `${serviceId},CANARY-CASE-0001,,,2025-01-13T09:00:00Z,20,12.50,phone,resolved,crm-2`,
    `${serviceId},CANARY-CASE-0002,,need-1,2025-01-06T10:00:00Z,45,,home_visit,referred_on,`,
    `${serviceId},,own-pseudonym-7,,2025-01-07T11:00:00Z,10,,online,no_action,`,
    `${serviceId},CANARY-CASE-0003,,,2025-01-08T12:00:00Z,ninety,,face_to_face,resolved,`,
  ].join('\n') + '\n';
}

/** The counts the command prints, by label. */
function counts(stdout: string): Record<string, number> {
  const found: Record<string, number> = {};
  for (const m of stdout.matchAll(/^ {2}(rows received|accepted|duplicates|rejected) +([\d,]+)$/gm)) {
    found[m[1]!] = Number(m[2]!.replaceAll(',', ''));
  }
  return found;
}

describe('firstmile import contacts', () => {
  const target = pgTargets().find((t) => t.name === 'server') ?? pgTargets()[0]!;
  let database: TestDatabase;
  let tenants: Tenants;
  let dir: string;
  let file: string;

  const firstmile = (args: string[]) => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: database.url, FIRSTMILE_PSEUDONYM_KEY: TEST_PSEUDONYM_KEY, NO_COLOR: '1' };
    delete env.FIRSTMILE_PSEUDONYM_KEY_FILE;
    const result = spawnSync(bin, args, { cwd: root, env, encoding: 'utf8', timeout: 120_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const stored = async () =>
    (await database.pool.query<{ person_ref: string }>('SELECT person_ref FROM contacts ORDER BY id')).rows.map((r) => r.person_ref);

  beforeAll(async () => {
    database = await createTestDatabase(target);
    tenants = await createTenants(database.db);
    dir = await mkdtemp(path.join(os.tmpdir(), 'firstmile-import-'));
    file = path.join(dir, 'contacts.csv');
    await writeFile(file, contactsCsv(tenants.ids.serviceA));
  });
  afterAll(async () => {
    await database?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('stores the good rows, reports the bad one by line and field, and stores nothing twice', async () => {
    const first = firstmile(['import', 'contacts', file, '--org', tenants.ids.providerA]);
    expect(first.stderr).not.toContain('unexpected error');
    expect(first.status).toBe(0);
    expect(counts(first.stdout)).toEqual({ 'rows received': 5, accepted: 4, duplicates: 0, rejected: 1 });
    expect(first.stdout).toMatch(/^ {2}line 6 {2}minutes: .+$/m);
    // On a pipe the progress comes as lines on stderr, with rows, rows/s and rejected.
    expect(first.stderr).toMatch(/contacts: 5 rows read \(100% of the file\), [\d,]+ rows\/s, 1 rejected/);

    const refs = await stored();
    expect(refs).toHaveLength(4);
    expect(refs).toContain('own-pseudonym-7');
    // Raw case numbers are stored only as pseudonyms, and never printed back.
    expect(refs.filter((r) => r.includes('CANARY'))).toEqual([]);
    expect(first.stdout + first.stderr).not.toContain('CANARY');

    const again = firstmile(['import', 'contacts', file, '--org', tenants.ids.providerA]);
    expect(again.status).toBe(0);
    expect(counts(again.stdout)).toEqual({ 'rows received': 5, accepted: 0, duplicates: 4, rejected: 1 });
    expect(again.stdout).toMatch(/^ {2}line 6 {2}minutes: .+$/m);
    expect(await stored()).toEqual(refs);

    // The command line acts for the organisation as a submitter, without a key.
    const audit = await database.pool.query<{ actor_key_id: string | null; actor_role: string; details: { accepted: number; duplicates: number } }>(
      "SELECT actor_key_id, actor_role, details FROM audit_log WHERE action = 'contacts.import' AND organisation_id = $1 ORDER BY id",
      [tenants.ids.providerA],
    );
    expect(audit.rows.map((r) => [r.actor_key_id, r.actor_role, r.details.accepted, r.details.duplicates])).toEqual([
      [null, 'submitter', 4, 0],
      [null, 'submitter', 0, 4],
    ]);
  });

  it('with --atomic stores nothing when a row is bad, and exits 1', async () => {
    const atomicFile = path.join(dir, 'atomic.txt');
    await writeFile(
      atomicFile,
      [
        header,
        `${tenants.ids.serviceA},CANARY-CASE-0009,,,2025-02-03T09:00:00Z,15,,phone,resolved,`,
        `${tenants.ids.serviceA},CANARY-CASE-0009,,,2025-02-04T09:00:00Z,15,,carrier_pigeon,resolved,`,
      ].join('\n'),
    );
    const before = await stored();
    const refused = firstmile(['import', 'contacts', atomicFile, '--org', tenants.ids.providerA, '--format', 'csv', '--atomic']);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain('nothing was stored');
    expect(counts(refused.stdout)).toMatchObject({ 'rows received': 2, accepted: 0, rejected: 1 });
    expect(refused.stdout).toMatch(/^ {2}line 3 {2}channel: .+$/m);
    expect(refused.stderr).toContain('firstmile: ');
    expect(await stored()).toEqual(before);
  });

  it('refuses what it cannot use with a clear message', async () => {
    const unknownFormat = firstmile(['import', 'contacts', path.join(dir, 'atomic.txt'), '--org', tenants.ids.providerA]);
    expect(unknownFormat.status).toBe(1);
    expect(unknownFormat.stderr).toContain('cannot tell the format');
    const missing = firstmile(['import', 'contacts', path.join(dir, 'missing.csv'), '--org', tenants.ids.providerA]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('cannot read');
    const funder = firstmile(['import', 'contacts', file, '--org', tenants.ids.funder]);
    expect(funder.status).toBe(1);
    expect(funder.stderr).toContain('contacts are imported for a provider organisation');
    const badOrg = firstmile(['import', 'contacts', file, '--org', 'harbour']);
    expect(badOrg.status).toBe(1);
    expect(badOrg.stderr).toContain('must be an organisation id');
  });
});

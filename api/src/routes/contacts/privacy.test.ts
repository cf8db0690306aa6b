import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Int32, Table, TimestampMillisecond, Utf8, tableToIPC, vectorFromArray } from 'apache-arrow';
import { sql } from 'kysely';
import { createTestDatabase, pgTargets, type TestDatabase } from '@firstmile/schema/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp, type FirstmileApp } from '../../app.ts';
import { call, createTenants, testPseudonymiser, type Tenants } from '../../testing/index.ts';

/** Every row of every table, as text: what a copy of the database would give away. */
async function everyRow(t: TestDatabase): Promise<string> {
  const { rows: tables } = await sql<{ schemaname: string; tablename: string }>`
    SELECT schemaname, tablename FROM pg_tables
    WHERE schemaname NOT IN ('pg_catalog', 'information_schema') AND schemaname NOT LIKE 'pg_temp%' AND schemaname NOT LIKE 'pg_toast%'
    ORDER BY 1, 2
  `.execute(t.db);
  expect(tables.map((r) => r.tablename)).toEqual(expect.arrayContaining(['contacts', 'audit_log', 'idempotency_keys']));
  const parts: string[] = [];
  for (const { schemaname, tablename } of tables) {
    const { rows } = await sql<{ row: string }>`SELECT t::text AS row FROM ${sql.table(`${schemaname}.${tablename}`)} t`.execute(t.db);
    parts.push(`-- ${schemaname}.${tablename}`, ...rows.map((r) => r.row));
  }
  // What other sessions are running or ran last, too.
  const { rows: activity } = await sql<{ query: string | null }>`SELECT query FROM pg_stat_activity`.execute(t.db);
  parts.push(...activity.map((a) => a.query ?? ''));
  return parts.join('\n');
}

/** The newest pg_dump installed, if it can dump this server (its major version at least the server's). */
async function pgDumpFor(t: TestDatabase): Promise<string | null> {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).filter((v) => existsSync(path.join(base, v, 'bin', 'pg_dump'))).map(Number).filter(Number.isFinite).sort((a, b) => b - a);
  const { rows } = await sql<{ v: string }>`SELECT current_setting('server_version_num') AS v`.execute(t.db);
  const serverMajor = Math.floor(Number(rows[0]!.v) / 10000);
  const newest = versions[0];
  return newest !== undefined && newest >= serverMajor ? path.join(base, String(newest), 'bin', 'pg_dump') : null;
}

describe.each(pgTargets())('raw person identifiers on the $name PostgreSQL', (target) => {
  let t: TestDatabase;
  let app: FirstmileApp;
  let w: Tenants;
  const run = randomBytes(4).toString('hex');
  const canary = (n: number) => `CANARY-${run}-${n}`;
  const pseudonyms = testPseudonymiser();

  beforeAll(async () => {
    t = await createTestDatabase(target);
    app = createApp({ handle: t, pseudonymiser: testPseudonymiser() });
    w = await createTenants(t.db);
  });
  afterAll(() => t.drop());

  it('never reach the database, the audit log or the console, whichever way they are sent', async () => {
    const printed: string[] = [];
    const capture = (...args: unknown[]) => {
      printed.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    };
    const spies = [
      ...(['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((m) => vi.spyOn(console, m).mockImplementation(capture)),
      vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (capture(String(chunk)), true)),
      vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (capture(String(chunk)), true)),
    ];
    const statuses: number[] = [];
    try {
      const key = w.keys.submitterA;
      const service = w.ids.serviceA;
      const post = async (pathAndQuery: string, body: string | Uint8Array, contentType: string, on = app) => {
        const response = await on.request(pathAndQuery, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': contentType }, body });
        statuses.push(response.status);
        await response.text();
      };
      const header = 'service_id,person_id,occurred_at,minutes,channel,outcome';
      // CSV: good rows, a bad row, a row with the identifier in the wrong place.
      await post('/v1/contacts:import', [
        header,
        `${service},${canary(1)},2026-01-01T09:00:00Z,30,phone,resolved`,
        `${service},${canary(2)},2026-01-01T09:00:00Z,thirty,phone,resolved`,
        `${service},"${canary(3)}, quoted",2026-01-01T10:00:00Z,5,online,ongoing`,
        `${service},${canary(4)},${canary(4)},5,online,ongoing`,
      ].join('\n'), 'text/csv');
      // NDJSON: good, unreadable, an unknown field carrying the identifier.
      await post('/v1/contacts:import', [
        JSON.stringify({ service_id: service, person_id: canary(5), occurred_at: '2026-01-02T09:00:00Z', minutes: 10, channel: 'phone', outcome: 'ongoing' }),
        `{"person_id": "${canary(6)}",`,
        JSON.stringify({ service_id: service, person_id: canary(7), nhs_number: canary(7), occurred_at: '2026-01-02T09:00:00Z', minutes: 10, channel: 'phone', outcome: 'ongoing' }),
      ].join('\n'), 'application/x-ndjson');
      // Arrow.
      const table = new Table({
        service_id: vectorFromArray([service, service], new Utf8()),
        person_id: vectorFromArray([canary(8), canary(9)], new Utf8()),
        occurred_at: vectorFromArray([new Date('2026-01-03T09:00:00Z'), new Date('2026-01-03T09:00:00Z')], new TimestampMillisecond('UTC')),
        minutes: vectorFromArray([10, 99999], new Int32()),
        channel: vectorFromArray(['phone', 'phone'], new Utf8()),
        outcome: vectorFromArray(['ongoing', 'ongoing'], new Utf8()),
      });
      await post('/v1/contacts:import', tableToIPC(table, 'stream'), 'application/vnd.apache.arrow.stream');
      // A JSON batch, then the same batch again (all duplicates).
      const contacts = [10, 11].map((n) => ({ service_id: service, person_id: canary(n), occurred_at: '2026-01-04T09:00:00Z', minutes: 10, channel: 'phone', outcome: 'resolved' }));
      for (let i = 0; i < 2; i++) {
        const response = await call(app, 'POST', '/v1/contacts', { key, body: { contacts } });
        statuses.push(response.status);
      }
      // Refused whole: atomic with a bad row, nothing good, no key, another organisation's service.
      await post('/v1/contacts:import?atomic=true', `${header}\n${service},${canary(12)},2026-01-05T09:00:00Z,10,phone,ongoing\n${service},${canary(13)},2026-01-05T09:00:00Z,-1,phone,ongoing\n`, 'text/csv');
      await post('/v1/contacts:import', `${header}\n${service},${canary(14)},2026-01-05T09:00:00Z,-1,phone,ongoing\n`, 'text/csv');
      await post('/v1/contacts:import', `${header}\n${service},${canary(15)},2026-01-05T09:00:00Z,10,phone,ongoing\n`, 'text/csv', createApp({ handle: t }));
      await post('/v1/contacts:import', `${header}\n${w.ids.serviceB},${canary(16)},2026-01-05T09:00:00Z,10,phone,ongoing\n`, 'text/csv');
      // Large enough to go through COPY and the staging table: stored, then refused whole.
      const many = (from: number, bad: number | null) =>
        [header, ...Array.from({ length: 1200 }, (_, i) => `${service},${canary(from + i)},2026-01-06T09:00:00Z,${i === bad ? -1 : 10},phone,ongoing`)].join('\n');
      await post('/v1/contacts:import', many(1000, null), 'text/csv');
      await post('/v1/contacts:import?atomic=true', many(3000, 600), 'text/csv');
      // Not UTF-8 after a canary: refused mid-stream.
      await post('/v1/contacts:import', new Uint8Array([...Buffer.from(`${header}\n${service},${canary(17)},2026-01-05T09:00:00Z,10,phone,ongoing\n`), 0xff]), 'text/csv');
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 422, 422, 422, 422, 200, 422, 400]);

    const dump = await everyRow(t);
    // The dump is real: the stored pseudonyms are in it, with the audit of every import.
    const stored = [1, 3, 5, 8, 10, 11, 1000, 2199].map((n) => pseudonyms.forOrganisation(w.ids.providerA)(n === 3 ? `${canary(3)}, quoted` : canary(n)));
    for (const ref of stored) expect(dump).toContain(ref);
    expect(dump.match(/contacts\.import/g)?.length).toBe(6);
    expect(dump).not.toContain(`CANARY-${run}`);
    expect(printed.join('\n')).not.toContain(`CANARY-${run}`);

    const pgDump = await pgDumpFor(t);
    // The server the tests start is the system's own, so its pg_dump is there.
    if (target.name === 'server') expect(pgDump).not.toBeNull();
    if (pgDump !== null) {
      const text = execFileSync(pgDump, ['--no-owner', `--dbname=${t.url}`], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      for (const ref of stored) expect(text).toContain(ref);
      expect(text).not.toContain(`CANARY-${run}`);
    }
  });
});

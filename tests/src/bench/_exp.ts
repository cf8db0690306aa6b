import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { openDatabase } from '@firstmile/schema';
import { databaseUrl, findSystemPostgres, startSystemPostgres } from '@firstmile/schema/testing';
import { planWorld } from '@firstmile/etl';
import { createTenants, testPseudonymiser } from '@firstmile/api/testing';
import { benchServices, writeContactsCsv } from './contacts-file.ts';

const N = Number(process.env.N ?? 1_000_000);
const plan = planWorld(42); const services = benchServices(plan);
const csv = `/tmp/exp-${N}.csv`, tsv = `/tmp/exp-${N}.tsv`;
if (!process.env.REUSE) await writeContactsCsv(plan, services, csv, { contacts: N });
// staged rows as the import would send them (raw ids pseudonymised)
if (!process.env.REUSE) {
  const pseudo = testPseudonymiser().forOrganisation('00000000-0000-4000-8000-000000000001');
  const out = createWriteStream(tsv); let first = true; const lines: string[] = [];
  for await (const line of createInterface({ input: createReadStream(csv) })) {
    if (first) { first = false; continue; }
    const [s, p, n, o, m, c, ch, oc, src] = line.split(',');
    lines.push(`${s}\t${pseudo(p!)}\t${n || '\\N'}\t${o}\t${m}\t${c || '\\N'}\t${ch}\t${oc}\t${src || '\\N'}\n`);
    if (lines.length === 10000) { out.write(lines.join('')); lines.length = 0; }
  }
  out.end(lines.join('')); await new Promise<void>((r) => out.on('finish', () => r()));
}
const server = await startSystemPostgres(findSystemPostgres()!, { flags: (process.env.PGFLAGS ?? '').split(' ').filter(Boolean) });
console.log('flags', process.env.PGFLAGS ?? '(none)');
const admin = await openDatabase({ url: server.url, migrate: false, poolSize: 1 });
await admin.pool.query('CREATE DATABASE exp');
const h = await openDatabase({ url: databaseUrl(server.url, 'exp'), poolSize: 1 });
const t = await createTenants(h.db);
const org = t.ids.providerA;
await h.db.insertInto('services').values(services.map((s) => ({ organisation_id: org, id: s.id, name: s.name, kind: s.kind, place_code: s.placeCode, project_id: null, unit_cost_gbp_per_contact: s.unitCostGbp, unit_cost_source: s.unitCostSource }))).execute();
const c = await h.pool.connect();
const cols = 'service_id, person_ref, need_ref, occurred_at, minutes, cost_gbp, channel, outcome, source_contact_id';
async function variant(name: string, opts: { rls: boolean; order?: string; setup?: string[]; teardown?: string[] }) {
  await c.query('TRUNCATE contacts'); 
  for (const q of opts.setup ?? []) await c.query(q);
  await c.query('CHECKPOINT');
  await c.query('BEGIN');
  if (opts.rls) { await c.query('SET LOCAL ROLE firstmile_app'); }
  await c.query("SELECT set_config('app.organisation_id', $1, true), set_config('app.role', 'submitter', true)", [org]);
  await c.query(`CREATE TEMP TABLE st (service_id uuid NOT NULL, person_ref text NOT NULL, need_ref text, occurred_at timestamptz NOT NULL, minutes integer NOT NULL, cost_gbp numeric(12,2), channel text NOT NULL, outcome text NOT NULL, source_contact_id text) ON COMMIT DROP`);
  await pipeline(createReadStream(tsv), c.query(copyFrom(`COPY st (${cols}) FROM STDIN`)));
  const lsn0 = (await admin.pool.query('SELECT pg_current_wal_lsn()::text AS l, (SELECT checkpoints_req + checkpoints_timed FROM pg_stat_bgwriter) AS k')).rows[0];
  const t0 = performance.now();
  const r = await c.query(`EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON) INSERT INTO contacts (organisation_id, ${cols}) SELECT $1::uuid, ${cols} FROM st ${opts.order ?? ''} ${name.startsWith('PK only') ? '' : 'ON CONFLICT ON CONSTRAINT contacts_natural_key DO NOTHING'}`, [org]);
  const ms = performance.now() - t0;
  await c.query('COMMIT');
  const lsn1 = (await admin.pool.query("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1)::bigint AS bytes, (SELECT checkpoints_req + checkpoints_timed FROM pg_stat_bgwriter) - $2 AS k", [lsn0.l, lsn0.k])).rows[0];
  console.log(`   WAL ${(Number(lsn1.bytes) / 2 ** 20).toFixed(0)} MiB, checkpoints ${lsn1.k}`);
  for (const q of opts.teardown ?? []) await c.query(q);
  const plan = (r.rows[0] as { 'QUERY PLAN': unknown[] })['QUERY PLAN'][0] as { Plan: Record<string, unknown>; Triggers?: { 'Trigger Name': string; Time: number; Calls: number }[] };
  const p = plan.Plan;
  console.log(`${name.padEnd(44)} ${(ms / 1000).toFixed(1)} s  shared hit ${p['Shared Hit Blocks']} read ${p['Shared Read Blocks']} dirtied ${p['Shared Dirtied Blocks']} written ${p['Shared Written Blocks']}  triggers ${JSON.stringify((plan.Triggers ?? []).map((x) => [x['Trigger Name'], Math.round(x.Time)]))}`);
}
const ddl = readFileSync('/dev/null', 'utf8');
const v = process.env.V?.split(',') ?? ['full', 'norls', 'ordered', 'nofk', 'noidx'];
if (v.includes('full')) await variant('full (RLS, FK, 3 indexes + PK)', { rls: true });
if (v.includes('norls')) await variant('superuser, no RLS', { rls: false });
if (v.includes('ordered')) await variant('RLS, ORDER BY service_id, person_ref, occurred_at', { rls: true, order: 'ORDER BY service_id, person_ref, occurred_at' });
if (v.includes('nofk')) await variant('no FK', { rls: true, setup: ['ALTER TABLE contacts DROP CONSTRAINT contacts_organisation_id_service_id_fkey'], teardown: ['ALTER TABLE contacts ADD FOREIGN KEY (organisation_id, service_id) REFERENCES services (organisation_id, id)'] });
if (v.includes('plain')) await variant('PK only (no unique, no FK, no 2 idx)', { rls: false, setup: ['ALTER TABLE contacts DROP CONSTRAINT contacts_organisation_id_service_id_fkey', 'DROP INDEX contacts_by_person', 'DROP INDEX contacts_by_service', 'ALTER TABLE contacts DROP CONSTRAINT contacts_natural_key'] });
if (v.includes('noidx')) await variant('no by_person/by_service indexes', { rls: true, setup: ['DROP INDEX contacts_by_person', 'DROP INDEX contacts_by_service'], teardown: ['CREATE INDEX contacts_by_person ON contacts (person_ref, occurred_at)', 'CREATE INDEX contacts_by_service ON contacts (organisation_id, service_id, occurred_at)'] });
c.release(); await h.close(); await admin.close(); await server.stop();

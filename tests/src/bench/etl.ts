import { execFileSync, spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase, type DatabaseHandle } from '@firstmile/schema';
import { databaseUrl } from '@firstmile/schema/testing';
import {
  defaultEtlSettings, generatePeople, generateWorld, LOCAL_TIME_ZONE, planWorld, runEtl, type EtlRunSummary,
} from '@firstmile/etl';
import { startBenchPostgres } from './postgres-server.ts';
import type { Benchmark, BenchmarkOutcome, Json } from './benchmark.ts';
import { compareOutcomes, compareWithEtl, limitStatement, personKeyCollisions, type Comparison } from './etl-limit.ts';
import { median, percentile, repoRoot, round } from './measure.ts';
import { collect, waitForOutput } from './processes.ts';

/**
 * `npm run bench -- etl`: the ETL against the fastest single statement that computes the same
 * figures, on the generator's world (seed 42) in one PostgreSQL server:
 *
 *   (a) `runEtl(db, { full: true })`, a full rebuild, several times (the first from nothing);
 *   (b) `runEtl(db)`, incremental, after 1% new contacts (copies of a sample of contacts moved
 *       into the latest month, INSERT … SELECT so the triggers queue them) and 1% of snapshots
 *       re-submitted (a new current version with one figure changed, the old one superseded);
 *   (c) ONE hand-written statement (etl-limit.ts) computing the service and place periods at
 *       every grain straight from contacts and services: the limit. Its rows are checked
 *       against the ETL's, after (a) and again after (b);
 *   (d) latency of GET /v1/outcomes and GET /v1/system for a funder's and a commissioner's key,
 *       against `firstmile serve` in its own process.
 *
 * FIRSTMILE_BENCH_ROWS sets the world's size in contacts (default 1,000,000; about six a
 * person). FIRSTMILE_BENCH_LARGE_ROWS (e.g. 10000000) adds (a), (b) and (c) at a second size.
 * FIRSTMILE_BENCH_REPETITIONS sets how many times (a) and (c) run (default 3, at least 2; at most 2
 * at the large size). FIRSTMILE_BENCH_PEOPLE sets the number of people instead of the contacts.
 * The system PostgreSQL is used when installed, else an embedded cluster;
 * FIRSTMILE_BENCH_POSTGRES=embedded forces the embedded one.
 */

const SEED = 42;
const DEFAULT_CONTACTS = 1_000_000;
const DEFAULT_REPETITIONS = 3;
/** The share of contacts added, and of current snapshots re-submitted, before each incremental run. */
const CHANGE_SHARE = 0.01;
const INCREMENTAL_ROUNDS = 2;
const REQUESTS_PER_ENDPOINT = 200;
/** runEtl's own default; the limit runs with the same. */
const WORK_MEM = '256MB';
const GOALS = { fullOverLimit: 1.5, incrementalOverFull: 0.05, p95Ms: 100 } as const;
const PSEUDONYM_KEY = Buffer.from('firstmile bench: synthetic people only, 32+ bytes', 'utf8').toString('hex');
const firstmileScript = path.join(repoRoot, 'api', 'bin', 'firstmile.js');

function numberFromEnv(name: string, fallback: number | null, min = 1): number | null {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw.replaceAll('_', ''));
  if (!Number.isSafeInteger(n) || n < min) throw new RangeError(`${name} must be a whole number from ${min}, not ${raw}`);
  return n;
}

const log = (line: string) => console.log(line);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

// --- the server --------------------------------------------------------------------------------


const settingNames = [
  'server_version', 'shared_buffers', 'work_mem', 'hash_mem_multiplier', 'maintenance_work_mem', 'max_parallel_workers_per_gather',
  'jit', 'max_wal_size', 'fsync', 'synchronous_commit', 'effective_cache_size',
];

async function serverSettings(admin: DatabaseHandle): Promise<{ [name: string]: string }> {
  const { rows } = await admin.pool.query<{ name: string; setting: string; unit: string | null }>(
    'SELECT name, setting, unit FROM pg_settings WHERE name = ANY ($1) ORDER BY name',
    [settingNames],
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.unit ? `${r.setting} ${r.unit}` : r.setting]));
}

async function checkpoint(handle: DatabaseHandle): Promise<void> {
  await handle.pool.query('CHECKPOINT');
}

async function count(handle: DatabaseHandle, query: string): Promise<number> {
  const { rows } = await handle.pool.query<{ n: string }>(`SELECT (${query})::text AS n`);
  return Number(rows[0]?.n ?? 0);
}

// --- the world -----------------------------------------------------------------------------------

/** How many of the generator's people (seed 42, in order) make at least `contacts` contacts. */
function peopleFor(contacts: number): { people: number; contacts: number } {
  let people = 0;
  let made = 0;
  for (const person of generatePeople(planWorld(SEED), { people: Number.MAX_SAFE_INTEGER })) {
    people += 1;
    made += person.contacts.length;
    if (made >= contacts) break;
  }
  return { people, contacts: made };
}

interface World {
  people: number;
  contacts: number;
  rows: { [table: string]: number };
  generateMs: number;
  vacuumMs: number;
}

async function buildWorld(handle: DatabaseHandle, targetContacts: number): Promise<World> {
  const people = numberFromEnv('FIRSTMILE_BENCH_PEOPLE', null) ?? peopleFor(targetContacts).people;
  log(`generating the world: seed ${SEED}, ${people.toLocaleString('en-GB')} people (for about ${targetContacts.toLocaleString('en-GB')} contacts)…`);
  let nextReport = 0.1;
  const start = performance.now();
  const summary = await generateWorld(handle, { seed: SEED, people }, (p) => {
    if (p.phase === 'contacts' && p.total > 0 && p.done / p.total >= nextReport) {
      log(`  ${Math.round((p.done / p.total) * 100)}% of people (${seconds(performance.now() - start)})`);
      nextReport = Math.floor((p.done / p.total) * 10) / 10 + 0.1;
    }
  });
  const generateMs = performance.now() - start;
  // The state a live database is in: autovacuum has visited the freshly loaded tables.
  const vacuumStart = performance.now();
  await handle.pool.query('VACUUM (ANALYZE) contacts, services, snapshots, observations, projects');
  const vacuumMs = performance.now() - vacuumStart;
  const contacts = await count(handle, 'SELECT count(*) FROM contacts');
  log(`  ${contacts.toLocaleString('en-GB')} contacts in ${seconds(generateMs)} (VACUUM ANALYZE ${seconds(vacuumMs)})`);
  return { people, contacts, rows: summary.rows, generateMs: round(generateMs), vacuumMs: round(vacuumMs) };
}

// --- (a) and (b): the ETL --------------------------------------------------------------------------

interface EtlTiming {
  ms: number;
  /** Time from each step's start to the next's, as runEtl reports its steps. */
  stepsMs: { [step: string]: number };
  summary: { [key: string]: Json };
}

function summaryJson(s: EtlRunSummary): { [key: string]: Json } {
  return {
    mode: s.mode, runId: s.runId, reason: s.reason, queueEntries: s.queueEntries, projectPartitions: s.projectPartitions,
    people: s.people, servicePartitions: s.servicePartitions, placePartitions: s.placePartitions, rowsWritten: s.rowsWritten,
  };
}

async function timedEtl(handle: DatabaseHandle, full: boolean): Promise<EtlTiming> {
  await checkpoint(handle);
  const marks: Array<{ step: string; at: number }> = [];
  const start = performance.now();
  const summary = await runEtl(handle.db, { ...(full ? { full: true } : {}), onProgress: (step) => marks.push({ step, at: performance.now() }) });
  const ms = performance.now() - start;
  const stepsMs: { [step: string]: number } = {};
  for (let i = 0; i < marks.length - 1; i++) stepsMs[marks[i]!.step] = round(marks[i + 1]!.at - marks[i]!.at);
  return { ms: round(ms), stepsMs, summary: summaryJson(summary) };
}

/** 1% new contacts: copies of a seeded sample, moved into the world's latest month, one organisation after another. */
async function addContacts(handle: DatabaseHandle, round_: number): Promise<number> {
  const total = await count(handle, 'SELECT count(*) FROM contacts');
  const n = Math.max(1, Math.round(total * CHANGE_SHARE));
  const { rowCount } = await handle.pool.query(
    `WITH latest AS (
       SELECT (date_trunc('month', max(occurred_at) AT TIME ZONE $3) AT TIME ZONE $3) AS start FROM contacts
     ), picked AS (
       SELECT * FROM contacts ORDER BY hashint8extended(id, $2) LIMIT $1
     )
     INSERT INTO contacts (organisation_id, service_id, person_ref, need_ref, occurred_at, minutes, cost_gbp, channel, outcome, source_contact_id)
     SELECT p.organisation_id, p.service_id, p.person_ref, p.need_ref,
            latest.start + ((hashint8extended(p.id, $2 + 1000) & 1073741823) % (27 * 1440)) * interval '1 minute',
            p.minutes, p.cost_gbp, p.channel, p.outcome, 'bench-' || $2 || '-' || p.id
     FROM picked p CROSS JOIN latest
     ORDER BY p.organisation_id, p.person_ref, 5`,
    [n, round_, LOCAL_TIME_ZONE],
  );
  return rowCount ?? 0;
}

/**
 * 1% of current snapshots (at least one) re-submitted as store.ts writes a new version: the
 * current one superseded, a new current version (latest + 1) with its observations copied and
 * each figure changed a little. Stories are not copied (the ETL does not read them).
 */
async function resubmitSnapshots(handle: DatabaseHandle, round_: number): Promise<{ snapshots: number; observations: number }> {
  const client = await handle.pool.connect();
  try {
    await client.query('BEGIN');
    const current = Number((await client.query<{ n: string }>("SELECT count(*)::text AS n FROM snapshots WHERE status = 'current'")).rows[0]?.n ?? 0);
    const k = Math.max(1, Math.round(current * CHANGE_SHARE));
    await client.query(
      `CREATE TEMP TABLE bench_resubmit ON COMMIT DROP AS
       SELECT s.organisation_id, s.id AS old_id, gen_random_uuid() AS new_id, s.project_id, s.period_start, s.period_end,
              (SELECT max(v.version) FROM snapshots v WHERE v.organisation_id = s.organisation_id AND v.project_id = s.project_id
                 AND v.period_start = s.period_start AND v.period_end = s.period_end) + 1 AS version
       FROM snapshots s WHERE s.status = 'current' ORDER BY hashtextextended(s.id::text, $2) LIMIT $1`,
      [k, round_],
    );
    await client.query(
      `UPDATE snapshots s SET status = 'superseded' FROM bench_resubmit r WHERE s.organisation_id = r.organisation_id AND s.id = r.old_id`,
    );
    await client.query(
      `INSERT INTO snapshots (organisation_id, id, project_id, period_start, period_end, version, status, submitted_via)
       SELECT organisation_id, new_id, project_id, period_start, period_end, version, 'current', 'api' FROM bench_resubmit`,
    );
    const observations = await client.query(
      `INSERT INTO observations (organisation_id, snapshot_id, metric_key, value, numerator, denominator, comparator_value, comparator_kind,
                                 comparator_source, comparator_period_start, comparator_period_end, disaggregation, flags)
       SELECT o.organisation_id, r.new_id, o.metric_key,
              CASE WHEN o.numerator IS NOT NULL THEN NULL
                   WHEN m.kind = 'proportion' THEN greatest(0, least(1, o.value + CASE WHEN o.value < 0.5 THEN 0.01 ELSE -0.01 END))
                   WHEN m.kind = 'count' THEN o.value + 1
                   ELSE o.value * 1.01 END,
              CASE WHEN o.numerator IS NULL THEN NULL WHEN o.numerator > 0 THEN o.numerator - 1 ELSE least(1, o.denominator) END,
              o.denominator, o.comparator_value, o.comparator_kind, o.comparator_source, o.comparator_period_start, o.comparator_period_end,
              o.disaggregation, o.flags
       FROM observations o
       JOIN bench_resubmit r ON r.organisation_id = o.organisation_id AND r.old_id = o.snapshot_id
       JOIN metrics m ON m.key = o.metric_key`,
    );
    await client.query('COMMIT');
    return { snapshots: k, observations: observations.rowCount ?? 0 };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

// --- (c): the limit ----------------------------------------------------------------------------------

const LIMIT_TABLE = 'bench_etl_limit';

interface LimitRun {
  ms: number;
  rows: number;
  comparison: Comparison | null;
}

/** One run of the limit statement, in a transaction with runEtl's work_mem; compared with the ETL's tables when asked. */
async function runLimit(handle: DatabaseHandle, compare: boolean): Promise<LimitRun> {
  await checkpoint(handle);
  const client = await handle.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('work_mem', $1, true)`, [WORK_MEM]);
    const statement = limitStatement(LIMIT_TABLE, defaultEtlSettings.episodeGapDays, LOCAL_TIME_ZONE);
    const start = performance.now();
    const result = await client.query(statement);
    const ms = performance.now() - start;
    const comparison = compare ? await compareWithEtl(client, LIMIT_TABLE) : null;
    return { ms: round(ms), rows: result.rowCount ?? 0, comparison };
  } finally {
    await client.query('ROLLBACK').catch(() => {});
    client.release();
  }
}

// --- one size ------------------------------------------------------------------------------------------

interface SizeRun {
  targetContacts: number;
  world: World;
  full: EtlTiming[];
  fullMedianMs: number;
  limit: LimitRun[];
  limitMedianMs: number;
  comparisonAfterFull: Comparison;
  personKeys: { personRefs: number; personKeys: number; collisions: number };
  incremental: Array<{ contactsAdded: number; snapshotsResubmitted: number; observationsCopied: number; changeMs: number; etl: EtlTiming }>;
  incrementalMedianMs: number;
  comparisonAfterIncremental: Comparison;
  outcomesAfterIncremental: Awaited<ReturnType<typeof compareOutcomes>>;
  analyticsBytes: { [table: string]: number };
}

async function runAtSize(admin: DatabaseHandle, adminUrl: string, name: string, targetContacts: number, repetitions: number): Promise<{ run: SizeRun; url: string; handle: DatabaseHandle }> {
  await admin.pool.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.pool.query(`CREATE DATABASE ${name}`);
  const url = databaseUrl(adminUrl, name);
  const handle = await openDatabase({ url, poolSize: 4 });
  try {
    const world = await buildWorld(handle, targetContacts);

    const full: EtlTiming[] = [];
    for (let i = 0; i < repetitions; i++) {
      log(`(a) full rebuild ${i + 1} of ${repetitions}${i === 0 ? ' (from nothing)' : ''}…`);
      const t = await timedEtl(handle, true);
      log(`    ${seconds(t.ms)}  ${Object.entries(t.stepsMs).map(([k, v]) => `${k} ${seconds(v)}`).join(', ')}`);
      full.push(t);
    }

    const limit: LimitRun[] = [];
    for (let i = 0; i < repetitions; i++) {
      log(`(c) the hand-written statement ${i + 1} of ${repetitions}…`);
      const run = await runLimit(handle, i === repetitions - 1);
      log(`    ${seconds(run.ms)}, ${run.rows} rows`);
      limit.push(run);
    }
    const comparisonAfterFull = limit[limit.length - 1]!.comparison!;
    log(`    its rows ${comparisonAfterFull.equal ? 'equal' : 'DIFFER FROM'} the ETL's service and place periods`);
    const client = await handle.pool.connect();
    const personKeys = await personKeyCollisions(client).finally(() => client.release());

    const incremental: SizeRun['incremental'] = [];
    for (let i = 0; i < INCREMENTAL_ROUNDS; i++) {
      log(`(b) round ${i + 1} of ${INCREMENTAL_ROUNDS}: 1% new contacts, 1% of snapshots re-submitted, then an incremental run…`);
      const changeStart = performance.now();
      const contactsAdded = await addContacts(handle, i + 1);
      const resubmitted = await resubmitSnapshots(handle, i + 1);
      const changeMs = performance.now() - changeStart;
      const etl = await timedEtl(handle, false);
      log(`    ${contactsAdded} contacts, ${resubmitted.snapshots} snapshot(s) (${seconds(changeMs)}); runEtl ${etl.summary.mode} ${seconds(etl.ms)}: ` +
        `${etl.summary.people} people, ${etl.summary.servicePartitions} service and ${etl.summary.placePartitions} place partitions, ` +
        `${etl.summary.projectPartitions} project periods`);
      incremental.push({ contactsAdded, snapshotsResubmitted: resubmitted.snapshots, observationsCopied: resubmitted.observations, changeMs: round(changeMs), etl });
    }
    log('    checking the incremental result against the hand-written statement…');
    const comparisonAfterIncremental = (await runLimit(handle, true)).comparison!;
    const outcomeClient = await handle.pool.connect();
    const outcomesAfterIncremental = await compareOutcomes(outcomeClient).finally(() => outcomeClient.release());
    log(`    service and place periods ${comparisonAfterIncremental.equal ? 'equal' : 'DIFFER'}; outcomes ${outcomesAfterIncremental.equal ? 'equal' : 'DIFFER'}`);

    const { rows: sizes } = await handle.pool.query<{ relname: string; bytes: string }>(
      `SELECT relname, pg_total_relation_size(oid)::text AS bytes FROM pg_class
       WHERE relname IN ('contacts', 'analytics_contact_facts', 'analytics_episodes', 'analytics_service_periods', 'analytics_place_periods', 'analytics_outcomes')`,
    );
    return {
      url,
      handle,
      run: {
        targetContacts,
        world,
        full,
        fullMedianMs: round(median(full.map((f) => f.ms))),
        limit,
        limitMedianMs: round(median(limit.map((l) => l.ms))),
        comparisonAfterFull,
        personKeys,
        incremental,
        incrementalMedianMs: round(median(incremental.map((r) => r.etl.ms))),
        comparisonAfterIncremental,
        outcomesAfterIncremental,
        analyticsBytes: Object.fromEntries(sizes.map((r) => [r.relname, Number(r.bytes)])),
      },
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

function sizeJson(run: SizeRun): Json {
  const comparisonJson = (c: Comparison): Json => JSON.parse(JSON.stringify(c)) as Json;
  return {
    targetContacts: run.targetContacts,
    world: { ...run.world, rows: { ...run.world.rows } },
    fullRebuild: {
      medianMs: run.fullMedianMs,
      runsMs: run.full.map((f) => f.ms),
      runs: run.full.map((f) => ({ ms: f.ms, stepsMs: f.stepsMs, summary: f.summary })),
    },
    limit: {
      medianMs: run.limitMedianMs,
      runsMs: run.limit.map((l) => l.ms),
      rows: run.limit[0]?.rows ?? 0,
      comparedWithFullRebuild: comparisonJson(run.comparisonAfterFull),
      personKeyCollisions: { ...run.personKeys },
    },
    incremental: {
      medianMs: run.incrementalMedianMs,
      rounds: run.incremental.map((r) => ({
        contactsAdded: r.contactsAdded,
        snapshotsResubmitted: r.snapshotsResubmitted,
        observationsCopied: r.observationsCopied,
        changeMs: r.changeMs,
        ms: r.etl.ms,
        stepsMs: r.etl.stepsMs,
        summary: r.etl.summary,
      })),
      limitComparedAfterIncremental: comparisonJson(run.comparisonAfterIncremental),
      outcomesComparedAfterIncremental: { ...run.outcomesAfterIncremental },
    },
    ratios: {
      fullOverLimit: round(run.fullMedianMs / run.limitMedianMs, 3),
      incrementalOverFull: round(run.incrementalMedianMs / run.fullMedianMs, 4),
    },
    analyticsBytes: { ...run.analyticsBytes },
  };
}

// --- (d): API latency -------------------------------------------------------------------------------------

interface Subjects {
  funder: { id: string; name: string; place: string };
  commissioner: { id: string; name: string; place: string };
  metric: string;
  from: string;
  to: string;
}

async function subjects(handle: DatabaseHandle): Promise<Subjects> {
  const funder = (await handle.pool.query<{ id: string; name: string; place: string }>(`
    SELECT o.id, o.name, min(p.place_code) AS place
    FROM organisations o
    JOIN funding f ON f.funder_id = o.id AND f.archived_at IS NULL
    JOIN projects p ON p.organisation_id = f.organisation_id AND p.id = f.project_id
    WHERE o.kind = 'funder' AND o.archived_at IS NULL
    GROUP BY o.id, o.name ORDER BY count(*) DESC, o.name LIMIT 1`)).rows[0];
  const commissioner = (await handle.pool.query<{ id: string; name: string; place: string }>(`
    SELECT o.id, o.name, min(cp.place_code) AS place
    FROM organisations o JOIN commissioner_places cp ON cp.organisation_id = o.id AND cp.archived_at IS NULL
    WHERE o.kind = 'commissioner' AND o.archived_at IS NULL
    GROUP BY o.id, o.name ORDER BY count(*) DESC, o.name LIMIT 1`)).rows[0];
  const metric = (await handle.pool.query<{ metric_key: string; first: string; last: string }>(`
    SELECT metric_key, to_char(min(period_start), 'YYYY-MM-DD') AS first,
           to_char(min(period_start) + interval '1 year' - interval '1 day', 'YYYY-MM-DD') AS last
    FROM analytics_outcomes GROUP BY metric_key ORDER BY count(*) DESC, metric_key LIMIT 1`)).rows[0];
  if (!funder || !commissioner || !metric) throw new Error('the generated world has no funder with funding, commissioner with places or outcome');
  return { funder, commissioner, metric: metric.metric_key, from: metric.first, to: metric.last };
}

function queriesFor(role: 'funder' | 'commissioner', s: Subjects): { outcomes: string[]; system: string[] } {
  const place = s[role].place;
  const outcomes = [
    '',
    'grain=quarter',
    'grain=year&group_by=portfolio',
    'grain=quarter&group_by=place',
    `metric=${s.metric}&grain=quarter&from=${s.from}&to=${s.to}`,
    role === 'funder' ? `funder=${s.funder.id}&group_by=portfolio&grain=year` : `place=${place}&grain=quarter`,
  ];
  const system = [
    'grain=month',
    'grain=quarter',
    `grain=month&place=${place}`,
    `grain=quarter&place=${place}`,
    'level=service&grain=quarter',
  ];
  return { outcomes, system };
}

async function createKey(url: string, organisationId: string, role: string): Promise<string> {
  const child = spawn(process.execPath, [firstmileScript, 'keys', 'create', '--org', organisationId, '--role', role, '--label', 'bench etl'], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: url, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const done = await collect(child);
  const key = done.stdout.trim().split('\n').pop()?.trim() ?? '';
  if (done.code !== 0 || !key.startsWith('fm_')) throw new Error(`firstmile keys create exited with ${done.code}:\n${done.stdout}\n${done.stderr}`);
  return key;
}

interface Latency {
  requests: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  meanMs: number;
}

function latency(ms: number[]): Latency {
  return {
    requests: ms.length,
    p50Ms: round(percentile(ms, 50)),
    p95Ms: round(percentile(ms, 95)),
    maxMs: round(Math.max(...ms)),
    meanMs: round(ms.reduce((a, b) => a + b, 0) / ms.length),
  };
}

async function get(base: string, endpoint: string, query: string, key: string): Promise<{ ms: number; rows: number; bytes: number }> {
  const start = performance.now();
  const response = await fetch(`${base}${endpoint}${query ? `?${query}` : ''}`, { headers: { authorization: `Bearer ${key}` } });
  const body = await response.text();
  const ms = performance.now() - start;
  if (response.status !== 200) throw new Error(`GET ${endpoint}?${query} answered ${response.status}: ${body.slice(0, 1000)}`);
  const parsed = JSON.parse(body) as Record<string, unknown>;
  const list = Object.values(parsed).find((v) => Array.isArray(v));
  return { ms, rows: Array.isArray(list) ? list.length : -1, bytes: Buffer.byteLength(body) };
}

async function apiLatency(handle: DatabaseHandle, url: string): Promise<Json> {
  const s = await subjects(handle);
  const keys = {
    funder: await createKey(url, s.funder.id, 'funder'),
    commissioner: await createKey(url, s.commissioner.id, 'commissioner'),
  };
  const server = spawn(process.execPath, [firstmileScript, 'serve', '--port', '0'], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: url, FIRSTMILE_PSEUDONYM_KEY: PSEUDONYM_KEY, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = collect(server);
  const result: { [role: string]: Json } = {};
  let serverEtlLog: string[] = [];
  try {
    const base = (await waitForOutput(server, /serving at (http:\/\/\S+)/))[1] ?? '';
    // Let anything the server does at start (its ETL worker's catch-up run) finish first.
    await new Promise((r) => setTimeout(r, 2000));
    for (const role of ['funder', 'commissioner'] as const) {
      const queries = queriesFor(role, s);
      const perEndpoint: { [endpoint: string]: Json } = {};
      for (const [endpoint, list] of [['/v1/outcomes', queries.outcomes], ['/v1/system', queries.system]] as const) {
        // Warm-up, not counted: the first request of each kind prepares plans and caches.
        const shape = new Map<string, { rows: number; bytes: number; firstMs: number }>();
        for (const q of list) {
          const first = await get(base, endpoint, q, keys[role]);
          shape.set(q, { rows: first.rows, bytes: first.bytes, firstMs: round(first.ms) });
          await get(base, endpoint, q, keys[role]);
        }
        const all: number[] = [];
        const byQuery = new Map<string, number[]>(list.map((q) => [q, []]));
        for (let i = 0; i < REQUESTS_PER_ENDPOINT; i++) {
          const q = list[i % list.length]!;
          const { ms } = await get(base, endpoint, q, keys[role]);
          all.push(ms);
          byQuery.get(q)!.push(ms);
        }
        const summary = latency(all);
        log(`(d) ${role.padEnd(12)} GET ${endpoint.padEnd(12)} p50 ${summary.p50Ms} ms, p95 ${summary.p95Ms} ms, max ${summary.maxMs} ms (${all.length} requests)`);
        perEndpoint[endpoint] = {
          ...summary,
          byQuery: list.map((q) => ({ query: q, ...latency(byQuery.get(q)!), ...shape.get(q)! })),
        };
      }
      result[role] = { organisation: s[role].name, organisationId: s[role].id, place: s[role].place, ...perEndpoint };
    }
  } finally {
    server.kill('SIGINT');
    const done = await exited;
    serverEtlLog = (done.stdout + done.stderr).split('\n').filter((l) => l.startsWith('etl:'));
    if (serverEtlLog.length > 0) log(`    the server's ETL worker said: ${serverEtlLog.join(' | ')}`);
    if (done.code !== 0 && done.code !== 130 && done.signal === null) log(`    the server exited with ${done.code}: ${done.stderr.slice(-1000)}`);
  }
  return { ...result, serverEtlLog };
}

/** The commit measured, and any uncommitted change to the code under test (others may be editing it). */
function codeState(): { commit: string; uncommitted: string[] } {
  const git = (args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  };
  const uncommitted = git(['status', '--porcelain', '--', 'schema', 'etl', 'api']).split('\n').filter((l) => l.trim() !== '');
  return { commit: git(['rev-parse', 'HEAD']) || 'unknown', uncommitted };
}

// --- the benchmark -----------------------------------------------------------------------------------------

function p95Of(api: Json, role: string, endpoint: string): number | null {
  const value = (api as { [k: string]: { [k: string]: { p95Ms?: number } } })[role]?.[endpoint]?.p95Ms;
  return typeof value === 'number' ? value : null;
}

export const etl: Benchmark = {
  description: 'ETL: full rebuild and incremental refresh vs one hand-written SQL statement (the limit), and /v1/outcomes and /v1/system latency, 1M contacts',
  async run(): Promise<BenchmarkOutcome> {
    const targetContacts = numberFromEnv('FIRSTMILE_BENCH_ROWS', DEFAULT_CONTACTS) ?? DEFAULT_CONTACTS;
    const largeContacts = numberFromEnv('FIRSTMILE_BENCH_LARGE_ROWS', null);
    const repetitions = numberFromEnv('FIRSTMILE_BENCH_REPETITIONS', DEFAULT_REPETITIONS, 2) ?? DEFAULT_REPETITIONS;
    const loadBefore = os.loadavg().map((l) => round(l));
    const code = codeState();
    if (code.uncommitted.length > 0) log(`note: uncommitted changes in the code under test: ${code.uncommitted.join(', ')}`);
    const pgServer = await startBenchPostgres('etl');
    log(`PostgreSQL: ${pgServer.description}`);
    let admin: DatabaseHandle | null = null;
    const opened: DatabaseHandle[] = [];
    try {
      admin = await openDatabase({ url: pgServer.adminUrl, migrate: false, requireDurability: false, poolSize: 2 });
      const settings = await serverSettings(admin);

      const main = await runAtSize(admin, pgServer.adminUrl, 'firstmile_bench_etl', targetContacts, repetitions);
      opened.push(main.handle);
      log('(d) API latency…');
      const api = await apiLatency(main.handle, main.url);
      await main.handle.close();
      opened.pop();
      await admin.pool.query('DROP DATABASE firstmile_bench_etl WITH (FORCE)');

      let large: SizeRun | null = null;
      if (largeContacts !== null) {
        log(`\nthe same at ${largeContacts.toLocaleString('en-GB')} contacts`);
        const run = await runAtSize(admin, pgServer.adminUrl, 'firstmile_bench_etl_large', largeContacts, Math.min(repetitions, 2));
        await run.handle.close();
        await admin.pool.query('DROP DATABASE firstmile_bench_etl_large WITH (FORCE)');
        large = run.run;
      }

      const r = main.run;
      const fullOverLimit = r.fullMedianMs / r.limitMedianMs;
      const incrementalOverFull = r.incrementalMedianMs / r.fullMedianMs;
      const p95s = ['funder', 'commissioner'].flatMap((role) => ['/v1/outcomes', '/v1/system'].map((e) => ({ role, endpoint: e, p95: p95Of(api, role, e) })));
      const worstP95 = Math.max(...p95s.map((p) => p.p95 ?? Infinity));
      const goals = {
        fullWithin1_5xOfLimit: { ratio: round(fullOverLimit, 3), goal: GOALS.fullOverLimit, met: fullOverLimit <= GOALS.fullOverLimit },
        incrementalUnder5PercentOfFull: { ratio: round(incrementalOverFull, 4), goal: GOALS.incrementalOverFull, met: incrementalOverFull < GOALS.incrementalOverFull },
        apiP95Under100Ms: { worstP95Ms: worstP95, goal: GOALS.p95Ms, met: worstP95 < GOALS.p95Ms },
      };
      const inc = r.incremental[0]?.etl.summary;
      const correctness = (c: Comparison) => (c.equal ? 'equal' : `DIFFER (service ${JSON.stringify(c.service.differingColumns)}, place ${JSON.stringify(c.place.differingColumns)})`);
      const summary = [
        `PostgreSQL: ${pgServer.kind} (${settings.server_version ?? '?'}); ${r.world.contacts.toLocaleString('en-GB')} contacts, ${r.world.people.toLocaleString('en-GB')} people`,
        `(a) full rebuild            ${seconds(r.fullMedianMs).padStart(8)}  (median of ${r.full.length}: ${r.full.map((f) => seconds(f.ms)).join(', ')})`,
        `(c) one hand-written query  ${seconds(r.limitMedianMs).padStart(8)}  (median of ${r.limit.length}: ${r.limit.map((l) => seconds(l.ms)).join(', ')})`,
        `    (a)/(c) = ${round(fullOverLimit, 2)}  goal ≤ ${GOALS.fullOverLimit}: ${goals.fullWithin1_5xOfLimit.met ? 'met' : 'NOT met'}`,
        `(b) incremental             ${seconds(r.incrementalMedianMs).padStart(8)}  (${r.incremental.map((x) => `${x.etl.summary.mode} ${seconds(x.etl.ms)}`).join(', ')}); ` +
          `${inc?.people ?? '?'} people, ${inc?.servicePartitions ?? '?'} service / ${inc?.placePartitions ?? '?'} place partitions`,
        `    (b)/(a) = ${round(incrementalOverFull * 100, 2)}%  goal < ${GOALS.incrementalOverFull * 100}%: ${goals.incrementalUnder5PercentOfFull.met ? 'met' : 'NOT met'}`,
        `(d) p95: ${p95s.map((p) => `${p.role} ${p.endpoint} ${p.p95} ms`).join(', ')}; goal < ${GOALS.p95Ms} ms: ${goals.apiP95Under100Ms.met ? 'met' : 'NOT met'}`,
        `    limit vs ETL after full: ${correctness(r.comparisonAfterFull)}; after incremental: ${correctness(r.comparisonAfterIncremental)}; ` +
          `outcomes after incremental: ${r.outcomesAfterIncremental.equal ? 'equal' : 'DIFFER'}; person_key collisions: ${r.personKeys.collisions}`,
        ...(large
          ? [
              `${large.world.contacts.toLocaleString('en-GB')} contacts: full ${seconds(large.fullMedianMs)}, limit ${seconds(large.limitMedianMs)} ` +
                `(${round(large.fullMedianMs / large.limitMedianMs, 2)}), incremental ${seconds(large.incrementalMedianMs)} ` +
                `(${round((large.incrementalMedianMs / large.fullMedianMs) * 100, 2)}%); limit vs ETL ${large.comparisonAfterFull.equal && large.comparisonAfterIncremental.equal ? 'equal' : 'DIFFER'}`,
            ]
          : ['(set FIRSTMILE_BENCH_LARGE_ROWS=10000000 for a second, larger world)']),
      ];

      return {
        result: {
          parameters: {
            targetContacts,
            largeTargetContacts: largeContacts,
            seed: SEED,
            repetitions,
            changeShare: CHANGE_SHARE,
            incrementalRounds: INCREMENTAL_ROUNDS,
            requestsPerEndpoint: REQUESTS_PER_ENDPOINT,
            workMem: WORK_MEM,
            episodeGapDays: defaultEtlSettings.episodeGapDays,
            timeZone: LOCAL_TIME_ZONE,
          },
          code: { commit: code.commit, uncommitted: code.uncommitted },
          postgres: { kind: pgServer.kind, description: pgServer.description, settings },
          // Anything else running on the machine competes for the same cores; this shows whether it did.
          loadAverage: { before: loadBefore, after: os.loadavg().map((l) => round(l)) },
          goals,
          run: sizeJson(r),
          api,
          largeRun: large === null ? null : sizeJson(large),
          method: [
            'The world: generateWorld(seed 42) with as many people as make the target number of contacts (about six each), in a fresh migrated database on one PostgreSQL server; then VACUUM (ANALYZE) of the raw tables, as autovacuum would have done.',
            "(a) runEtl(db, { full: true }) through the system connection, `repetitions` times; the first builds from empty analytics tables. stepsMs splits each run by runEtl's onProgress steps (each step's time runs to the start of the next).",
            "(c) One statement, CREATE TEMP TABLE … AS WITH …, in a transaction with runEtl's work_mem, from contacts join services to the service and place periods at month, quarter and year grain (etl-limit.ts), `repetitions` times; rolled back each time. CREATE TABLE AS may use parallel workers; the ETL's INSERT … SELECT may not.",
            "The limit's rows are compared column by column (as text) with analytics_service_periods and analytics_place_periods after the last full rebuild, and again after the incremental rounds (an incremental result must equal a rebuild from the raw tables). analytics_outcomes is compared with the current snapshots' whole-population observations read afresh.",
            "(b) Each round: INSERT … SELECT of 1% of the contacts' count as copies of a seeded sample of contacts (same person, service, need, minutes, cost, outcome; occurred_at moved into the world's latest UK month; a new source_contact_id), ordered by organisation as per-organisation imports would be, so the triggers queue one tight id range per organisation; then 1% of current snapshots (at least one) re-submitted in one transaction: the current version superseded, version latest + 1 inserted as current with its observations copied and each figure changed (numerator − 1, count + 1). Then runEtl(db) is timed. Ratios use the median over rounds against the median full rebuild.",
            "(d) firstmile serve --port 0 in its own process on the database after (b); keys from firstmile keys create for the funder with the most funding rows and the commissioner with the most places; each query of each kind twice as warm-up (the first's time is kept as firstMs), then 200 sequential GETs per endpoint and role, round-robin over the queries, with keep-alive; each timed from the request to the body's last byte.",
            'A CHECKPOINT runs before every timed ETL run and every run of the limit.',
          ],
        },
        summary,
      };
    } finally {
      for (const handle of opened) await handle.close().catch(() => {});
      await admin?.close().catch(() => {});
      await pgServer.stop().catch(() => {});
    }
  },
};

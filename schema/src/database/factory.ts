import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../db/database.ts';
import { assertDurable } from './durability.ts';
import { startEmbeddedPostgres } from './embedded.ts';
import { migrateToLatest, migrationVersion } from './migrations.ts';
import { pgTypes } from './pg-types.ts';

export type DatabaseKind = 'embedded' | 'server';

export interface DatabaseHandle {
  db: Kysely<Database>;
  /** The pool under `db`, for what Kysely does not do (COPY streams). */
  pool: pg.Pool;
  kind: DatabaseKind;
  /** Where it is, without the password. */
  location: string;
  /** Notes from start-up (initialised, recovered, joined), for the log. */
  notes: string[];
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** A PostgreSQL server. Without it, the embedded cluster under `dataDir` is used. */
  url?: string | null;
  dataDir?: string;
  /** Run migrations to the latest version (default true: migrations run on start). */
  migrate?: boolean;
  /** Refuse servers with fsync, synchronous_commit or full_page_writes off (default true). */
  requireDurability?: boolean;
  poolSize?: number;
  /** Extra server flags for the embedded cluster (tests use this). */
  embeddedFlags?: string[];
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable database URL)';
  }
}

/** The one way Firstmile opens its database: embedded by default, a server when given one. */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<DatabaseHandle> {
  const embedded = options.url
    ? null
    : await startEmbeddedPostgres(options.dataDir ?? '.firstmile', { postgresFlags: options.embeddedFlags ?? [] });
  const url = options.url ?? embedded!.url;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    types: pgTypes,
    application_name: 'firstmile',
    // Cross-tenant tools declare themselves; requests switch to the confined role instead.
    options: '-c app.role=system',
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  // Nor a client in use whose server goes away between queries (at shutdown the embedded
  // server can stop first): the query in flight, if any, still fails with the error.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });

  const close = async () => {
    await db.destroy();
    await embedded?.stop();
  };
  try {
    if (options.requireDurability ?? true) await assertDurable(db);
    if (options.migrate ?? true) await migrateToLatest(db);
  } catch (error) {
    await close();
    throw error;
  }
  return {
    db,
    pool,
    kind: embedded ? 'embedded' : 'server',
    location: embedded ? `${embedded.pgdata} (127.0.0.1:${embedded.port})` : redactUrl(url),
    notes: embedded?.notes ?? [],
    close,
  };
}

export interface DatabaseStatus {
  kind: DatabaseKind;
  serverVersion: string;
  migration: string | null;
}

export async function databaseStatus(handle: DatabaseHandle): Promise<DatabaseStatus> {
  const { rows } = await sql<{ server_version: string }>`SHOW server_version`.execute(handle.db);
  return {
    kind: handle.kind,
    serverVersion: rows[0]?.server_version ?? 'unknown',
    migration: await migrationVersion(handle.db),
  };
}

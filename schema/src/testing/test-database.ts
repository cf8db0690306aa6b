import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../database/factory.ts';
import type { TestTarget } from './clusters.ts';

export interface PreparedTarget extends TestTarget {
  /** A migrated database to clone, so each suite starts from the schema in milliseconds. */
  template: string;
}

export interface TestDatabase extends DatabaseHandle {
  target: PreparedTarget;
  name: string;
  url: string;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin<T>(adminUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Creates and migrates the template database the suites clone. */
export async function prepareTemplate(target: TestTarget): Promise<PreparedTarget> {
  const template = `firstmile_template_${randomBytes(4).toString('hex')}`;
  await admin(target.adminUrl, (c) => c.query(`CREATE DATABASE ${template}`));
  const handle = await openDatabase({ url: databaseUrl(target.adminUrl, template), poolSize: 2 });
  await handle.close();
  return { ...target, template };
}

export async function dropTemplate(target: PreparedTarget): Promise<void> {
  await admin(target.adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${target.template} WITH (FORCE)`));
}

/**
 * A database of the suite's own: cloned from the migrated template, or empty with
 * `{ migrated: false }` for tests of the migrations themselves.
 */
export async function createTestDatabase(
  target: PreparedTarget,
  options: { migrated?: boolean; poolSize?: number } = {},
): Promise<TestDatabase> {
  const name = `firstmile_test_${randomBytes(6).toString('hex')}`;
  const template = (options.migrated ?? true) ? target.template : 'template0';
  await admin(target.adminUrl, (c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  const url = databaseUrl(target.adminUrl, name);
  const handle = await openDatabase({ url, poolSize: options.poolSize ?? 4, migrate: options.migrated ?? true });
  return {
    ...handle,
    target,
    name,
    url,
    drop: async () => {
      await handle.close();
      await admin(target.adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

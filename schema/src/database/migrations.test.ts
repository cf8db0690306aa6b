import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, pgTargets, type TestDatabase } from '../testing/index.ts';
import { latestMigration, migrateToLatest, migrationVersion } from './migrations.ts';

describe.each(pgTargets())('migrations on the $name PostgreSQL', (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(target, { migrated: false });
  });
  afterAll(() => t.drop());

  it('start from nothing, reach the latest version, and do nothing the second time', async () => {
    expect(await migrationVersion(t.db)).toBeNull();
    const first = await migrateToLatest(t.db);
    expect(first.applied).toContain('2026-11-23_01_foundation');
    expect(first.version).toBe(latestMigration);
    const second = await migrateToLatest(t.db);
    expect(second.applied).toEqual([]);
    expect(second.version).toBe(latestMigration);
  });

  it('create every table of the domain model', async () => {
    const { rows } = await sql<{ table_name: string }>`
      SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_name NOT LIKE 'kysely_%' ORDER BY table_name
    `.execute(t.db);
    expect(rows.map((r) => r.table_name)).toEqual([
      'analytics_contact_facts', 'analytics_episodes', 'analytics_outcomes', 'analytics_place_periods',
      'analytics_service_periods', 'analytics_unlogged_witness', 'api_keys', 'audit_log', 'commissioner_places', 'contacts', 'etl_queue', 'etl_runs',
      'funding', 'idempotency_keys', 'metrics', 'observations', 'organisations', 'places', 'projects', 'services',
      'snapshots', 'stories', 'unit_costs',
    ]);
  });

  it('put organisation_id in the key of every tenant-owned table', async () => {
    const { rows } = await sql<{ table_name: string; columns: string[] }>`
      SELECT tc.table_name, array_agg(kcu.column_name::text ORDER BY kcu.ordinal_position) AS columns
      FROM information_schema.table_constraints tc
      JOIN information_schema.key_column_usage kcu
        ON kcu.constraint_name = tc.constraint_name AND kcu.table_name = tc.table_name
      WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = 'public'
      GROUP BY tc.table_name
    `.execute(t.db);
    const keys = Object.fromEntries(rows.map((r) => [r.table_name, r.columns]));
    for (const table of [
      'api_keys', 'projects', 'funding', 'commissioner_places', 'services', 'snapshots',
      'observations', 'stories', 'contacts', 'idempotency_keys',
    ]) {
      expect(keys[table]?.[0], table).toBe('organisation_id');
    }
  });
});

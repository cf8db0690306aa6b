import { Migrator, type Kysely, type Migration, type MigrationResult } from 'kysely';
import * as foundation from '../../migrations/2026-11-23_01_foundation.ts';
import * as rowLevelSecurity from '../../migrations/2026-11-23_02_row_level_security.ts';
import * as currentSnapshotCheck from '../../migrations/2026-11-23_03_current_snapshot_check.ts';
import * as contactImportStaging from '../../migrations/2026-11-24_01_contact_import_staging.ts';
import * as analytics from '../../migrations/2026-11-25_01_analytics.ts';

/**
 * Migrations are listed here rather than read from a folder so that they travel with
 * the code (tsx, bundlers, tests) and their order is reviewed, not discovered.
 */
export const migrations: Readonly<Record<string, Migration>> = Object.freeze({
  '2026-11-23_01_foundation': foundation,
  '2026-11-23_02_row_level_security': rowLevelSecurity,
  '2026-11-23_03_current_snapshot_check': currentSnapshotCheck,
  '2026-11-24_01_contact_import_staging': contactImportStaging,
  '2026-11-25_01_analytics': analytics,
});

export const latestMigration = Object.keys(migrations).sort().at(-1) as string;

function migratorFor(db: Kysely<any>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => ({ ...migrations }) },
  });
}

export interface MigrationOutcome {
  applied: string[];
  version: string | null;
}

export class MigrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

/** Brings the database to the latest migration; safe to call on every start. */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationOutcome> {
  const { error, results } = await migratorFor(db).migrateToLatest();
  if (error) {
    const failed = results?.find((r: MigrationResult) => r.status === 'Error');
    throw new MigrationError(
      `migration ${failed?.migrationName ?? '(unknown)'} failed: ${(error as Error).message ?? String(error)}`,
      { cause: error },
    );
  }
  const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  return { applied, version: await migrationVersion(db) };
}

/** The name of the newest migration applied, or null on an empty database. */
export async function migrationVersion(db: Kysely<any>): Promise<string | null> {
  const all = await migratorFor(db).getMigrations();
  const done = all.filter((m) => m.executedAt !== undefined).map((m) => m.name).sort();
  return done.at(-1) ?? null;
}

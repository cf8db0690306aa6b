import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, pgTargets, type TestDatabase } from '../testing/index.ts';
import { migrateToLatest } from './migrations.ts';

describe.each(pgTargets())('the contacts import staging table on the $name PostgreSQL', (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(target, { migrated: false });
  });
  afterAll(() => t.drop());

  it('can be created by the request role even where PUBLIC may not create temporary tables', async () => {
    await sql`REVOKE TEMPORARY ON DATABASE ${sql.id(t.name)} FROM PUBLIC`.execute(t.db);
    await migrateToLatest(t.db);
    const { rows } = await sql<{ may: boolean }>`SELECT has_database_privilege('firstmile_app', current_database(), 'TEMPORARY') AS may`.execute(t.db);
    expect(rows[0]!.may).toBe(true);
    await t.db.transaction().execute(async (trx) => {
      await sql`SET LOCAL ROLE firstmile_app`.execute(trx);
      await sql`CREATE TEMPORARY TABLE staging_probe (x int) ON COMMIT DROP`.execute(trx);
      await sql`INSERT INTO staging_probe VALUES (1)`.execute(trx);
    });
  });
});

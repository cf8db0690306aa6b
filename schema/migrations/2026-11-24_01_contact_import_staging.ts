// Frozen in time: imports nothing from the application.
//
// A contacts import streams its rows with COPY into a temporary staging table and then moves
// them into `contacts` with one INSERT … SELECT (PostgreSQL refuses COPY FROM into a table
// under forced row-level security). It runs as the confined request role, which therefore
// needs to create temporary tables. PUBLIC has that right on a new database, but hardened
// servers often revoke it; grant it to the role itself so the import does not depend on it.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    DO $$
    BEGIN
      IF NOT has_database_privilege('firstmile_app', current_database(), 'TEMPORARY') THEN
        EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO firstmile_app', current_database());
      END IF;
    END $$
  `.execute(db);
}

export async function down(_db: Kysely<any>): Promise<void> {
  // The grant may have been PUBLIC's all along; taking it away could break what it did not give.
}

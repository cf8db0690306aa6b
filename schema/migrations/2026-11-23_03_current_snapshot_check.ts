// Frozen in time: imports nothing from the application.
//
// A story shared publicly may be read by any key, but its snapshot stays with its own
// organisation and funders (snapshots_read). "Only the current version's stories" must still
// be decidable for such a reader, without widening snapshots_read (whose funder branch the
// stories policy already leans on: a snapshots policy reading stories would recurse).
// This function answers one yes/no question about one snapshot and nothing more.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // SECURITY DEFINER runs as the migration's user; `app.role = system` for the call makes the
  // tenant policies let that user read (a superuser bypasses them anyway, a table owner under
  // FORCE ROW LEVEL SECURITY does not). The fixed search_path keeps callers from substituting
  // their own `snapshots`.
  await sql`
    CREATE FUNCTION firstmile_snapshot_is_current(p_organisation uuid, p_snapshot uuid)
    RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    SET app.role = 'system'
    AS $$
      SELECT EXISTS (
        SELECT 1 FROM public.snapshots s
        WHERE s.organisation_id = p_organisation AND s.id = p_snapshot AND s.status = 'current')
    $$
  `.execute(db);
  await sql`REVOKE ALL ON FUNCTION firstmile_snapshot_is_current(uuid, uuid) FROM PUBLIC`.execute(db);
  await sql`GRANT EXECUTE ON FUNCTION firstmile_snapshot_is_current(uuid, uuid) TO firstmile_app`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION firstmile_snapshot_is_current(uuid, uuid)`.execute(db);
}

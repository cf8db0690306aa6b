// Frozen in time: imports nothing from the application.
//
// Row-level security is the second wall behind the API's own checks. Requests run as
// `firstmile_app`, a role that owns nothing and is not a superuser, inside a transaction
// that sets `app.organisation_id` and `app.role`. Tools that work across tenants (migrations,
// the CLI, the ETL, the generator) declare `app.role = system` on their own connection;
// a connection that declares nothing sees nothing.
import { sql, type Kysely } from 'kysely';

const tenantTables = [
  'organisations', 'places', 'commissioner_places', 'api_keys', 'projects', 'funding', 'services',
  'unit_costs', 'metrics', 'snapshots', 'observations', 'stories', 'contacts', 'audit_log',
  'idempotency_keys',
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  // Roles belong to the cluster, not the database: several Firstmile databases on one server
  // share it, and two migrating at once must not trip over each other.
  await sql`
    DO $$
    BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'firstmile_app') THEN
        CREATE ROLE firstmile_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOINHERIT;
      END IF;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;
    END $$
  `.execute(db);
  // The connecting user switches into the role per request, so it must be a member.
  await sql`
    DO $$
    BEGIN
      IF NOT pg_has_role(current_user, 'firstmile_app', 'MEMBER') THEN
        EXECUTE format('GRANT firstmile_app TO %I', current_user);
      END IF;
    END $$
  `.execute(db);

  await sql`
    CREATE FUNCTION app_org() RETURNS uuid LANGUAGE sql STABLE AS $$
      SELECT nullif(current_setting('app.organisation_id', true), '')::uuid
    $$
  `.execute(db);
  await sql`
    CREATE FUNCTION app_role() RETURNS text LANGUAGE sql STABLE AS $$
      SELECT nullif(current_setting('app.role', true), '')
    $$
  `.execute(db);
  // 'system' counts only outside the request role, so a request can never claim it.
  await sql`
    CREATE FUNCTION app_is_system() RETURNS boolean LANGUAGE sql STABLE AS $$
      SELECT app_role() = 'system' AND current_user <> 'firstmile_app'
    $$
  `.execute(db);
  await sql`
    CREATE FUNCTION app_is_admin() RETURNS boolean LANGUAGE sql STABLE AS $$
      SELECT app_is_system() OR app_role() = 'admin'
    $$
  `.execute(db);
  await sql`
    CREATE FUNCTION app_owns(p_org uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
      SELECT app_is_admin() OR (p_org IS NOT NULL AND p_org = app_org())
    $$
  `.execute(db);
  // A funder sees a project's data for the dates it funds.
  await sql`
    CREATE FUNCTION app_funds(p_project uuid, p_from date, p_to date) RETURNS boolean
    LANGUAGE sql STABLE AS $$
      SELECT app_role() = 'funder' AND EXISTS (
        SELECT 1 FROM funding f
        WHERE f.project_id = p_project AND f.funder_id = app_org() AND f.archived_at IS NULL
          AND f.from_date <= p_to AND (f.to_date IS NULL OR f.to_date >= p_from))
    $$
  `.execute(db);
  await sql`
    CREATE FUNCTION app_funds_ever(p_project uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
      SELECT app_funds(p_project, '1900-01-01', '2200-12-31')
    $$
  `.execute(db);
  await sql`
    CREATE FUNCTION app_has_place(p_place text) RETURNS boolean LANGUAGE sql STABLE AS $$
      SELECT app_role() = 'commissioner' AND EXISTS (
        SELECT 1 FROM commissioner_places cp
        WHERE cp.organisation_id = app_org() AND cp.place_code = p_place AND cp.archived_at IS NULL)
    $$
  `.execute(db);

  await sql`GRANT USAGE ON SCHEMA public TO firstmile_app`.execute(db);
  for (const table of tenantTables) {
    await sql`ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY`.execute(db);
    await sql`ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY`.execute(db);
  }
  // Archiving replaces deleting; the audit log only grows.
  await sql`
    GRANT SELECT, INSERT, UPDATE ON organisations, places, commissioner_places, api_keys, projects,
      funding, services, unit_costs, metrics, snapshots, observations, stories, contacts
    TO firstmile_app
  `.execute(db);
  await sql`GRANT SELECT, INSERT ON audit_log TO firstmile_app`.execute(db);
  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_keys TO firstmile_app`.execute(db);
  await sql`GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO firstmile_app`.execute(db);

  const policy = async (table: string, name: string, command: string, using: string | null, check: string | null) => {
    await sql`
      CREATE POLICY ${sql.id(name)} ON ${sql.table(table)} FOR ${sql.raw(command)}
      ${using ? sql.raw(`USING (${using})`) : sql``}
      ${check ? sql.raw(`WITH CHECK (${check})`) : sql``}
    `.execute(db);
  };

  // Organisations: itself, the admins, and the organisations it works with through funding.
  await policy('organisations', 'organisations_read', 'SELECT', `
    app_owns(id)
    OR EXISTS (SELECT 1 FROM funding f WHERE f.archived_at IS NULL AND (
         (f.organisation_id = organisations.id AND f.funder_id = app_org())
      OR (f.funder_id = organisations.id AND f.organisation_id = app_org())))`, null);
  await policy('organisations', 'organisations_insert', 'INSERT', null, 'app_is_admin()');
  await policy('organisations', 'organisations_update', 'UPDATE', 'app_owns(id)', 'app_owns(id)');

  await policy('places', 'places_read', 'SELECT', 'app_org() IS NOT NULL OR app_is_system()', null);
  await policy('places', 'places_insert', 'INSERT', null, 'app_is_admin()');
  await policy('places', 'places_update', 'UPDATE', 'app_is_admin()', 'app_is_admin()');

  await policy('commissioner_places', 'commissioner_places_read', 'SELECT', 'app_owns(organisation_id)', null);
  await policy('commissioner_places', 'commissioner_places_insert', 'INSERT', null, 'app_is_admin()');
  await policy('commissioner_places', 'commissioner_places_update', 'UPDATE', 'app_is_admin()', 'app_is_admin()');

  await policy('api_keys', 'api_keys_read', 'SELECT', 'app_owns(organisation_id)', null);
  await policy('api_keys', 'api_keys_insert', 'INSERT', null, 'app_is_admin()');
  await policy('api_keys', 'api_keys_update', 'UPDATE', 'app_owns(organisation_id)', 'app_owns(organisation_id)');

  await policy('projects', 'projects_read', 'SELECT', 'app_owns(organisation_id) OR app_funds_ever(id)', null);
  await policy('projects', 'projects_insert', 'INSERT', null, 'app_owns(organisation_id)');
  await policy('projects', 'projects_update', 'UPDATE', 'app_owns(organisation_id)', 'app_owns(organisation_id)');

  await policy('funding', 'funding_read', 'SELECT', 'app_owns(organisation_id) OR funder_id = app_org()', null);
  await policy('funding', 'funding_insert', 'INSERT', null, 'app_is_admin()');
  await policy('funding', 'funding_update', 'UPDATE', 'app_is_admin()', 'app_is_admin()');

  await policy('services', 'services_read', 'SELECT', 'app_owns(organisation_id) OR app_has_place(place_code)', null);
  await policy('services', 'services_insert', 'INSERT', null, 'app_owns(organisation_id)');
  await policy('services', 'services_update', 'UPDATE', 'app_owns(organisation_id)', 'app_owns(organisation_id)');

  // The catalogue is shared; an organisation's own metrics and costs are its to change.
  await policy('unit_costs', 'unit_costs_read', 'SELECT', 'organisation_id IS NULL OR app_owns(organisation_id)', null);
  await policy('unit_costs', 'unit_costs_insert', 'INSERT', null, 'app_owns(organisation_id) OR (organisation_id IS NULL AND app_is_admin())');
  await policy('metrics', 'metrics_read', 'SELECT', 'organisation_id IS NULL OR app_owns(organisation_id) OR app_org() IS NOT NULL', null);
  await policy('metrics', 'metrics_insert', 'INSERT', null, 'app_owns(organisation_id) OR (organisation_id IS NULL AND app_is_admin())');
  await policy('metrics', 'metrics_update', 'UPDATE', 'app_owns(organisation_id) OR (organisation_id IS NULL AND app_is_admin())', 'app_owns(organisation_id) OR (organisation_id IS NULL AND app_is_admin())');

  await policy('snapshots', 'snapshots_read', 'SELECT', 'app_owns(organisation_id) OR app_funds(project_id, period_start, period_end)', null);
  await policy('snapshots', 'snapshots_insert', 'INSERT', null, 'app_owns(organisation_id)');
  await policy('snapshots', 'snapshots_update', 'UPDATE', 'app_owns(organisation_id)', 'app_owns(organisation_id)');

  const snapshotVisible = `EXISTS (SELECT 1 FROM snapshots s WHERE s.organisation_id = %I.organisation_id AND s.id = %I.snapshot_id)`;
  await policy('observations', 'observations_read', 'SELECT',
    `app_owns(organisation_id) OR (app_role() = 'funder' AND ${snapshotVisible.replaceAll('%I', 'observations')})`, null);
  await policy('observations', 'observations_insert', 'INSERT', null, 'app_owns(organisation_id)');
  await policy('observations', 'observations_update', 'UPDATE', 'app_owns(organisation_id)', 'app_owns(organisation_id)');

  // Stories travel only within their consent, and not at all while a personal-data flag stands.
  await policy('stories', 'stories_read', 'SELECT', `
    app_owns(organisation_id)
    OR (consent_status <> 'withheld'
        AND (cardinality(pii_flags) = 0 OR pii_cleared_at IS NOT NULL)
        AND (consent_scope = 'public' AND app_org() IS NOT NULL
             OR (consent_scope = 'funders' AND app_role() = 'funder'
                 AND ${snapshotVisible.replaceAll('%I', 'stories')})))`, null);
  await policy('stories', 'stories_insert', 'INSERT', null, 'app_owns(organisation_id)');
  await policy('stories', 'stories_update', 'UPDATE', 'app_owns(organisation_id)', 'app_owns(organisation_id)');

  await policy('contacts', 'contacts_read', 'SELECT', 'app_owns(organisation_id)', null);
  await policy('contacts', 'contacts_insert', 'INSERT', null, 'app_owns(organisation_id)');
  await policy('contacts', 'contacts_update', 'UPDATE', 'app_owns(organisation_id)', 'app_owns(organisation_id)');

  await policy('audit_log', 'audit_log_read', 'SELECT', 'app_owns(organisation_id)', null);
  await policy('audit_log', 'audit_log_insert', 'INSERT', null, 'app_is_system() OR actor_organisation_id = app_org()');

  await policy('idempotency_keys', 'idempotency_keys_all', 'ALL', 'app_owns(organisation_id)', 'app_owns(organisation_id)');
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of tenantTables) {
    const { rows } = await sql<{ policyname: string }>`
      SELECT policyname FROM pg_policies WHERE schemaname = 'public' AND tablename = ${table}
    `.execute(db);
    for (const row of rows) await sql`DROP POLICY ${sql.id(row.policyname)} ON ${sql.table(table)}`.execute(db);
    await sql`ALTER TABLE ${sql.table(table)} NO FORCE ROW LEVEL SECURITY`.execute(db);
    await sql`ALTER TABLE ${sql.table(table)} DISABLE ROW LEVEL SECURITY`.execute(db);
  }
  await sql`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM firstmile_app`.execute(db);
  await sql`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM firstmile_app`.execute(db);
  await sql`REVOKE USAGE ON SCHEMA public FROM firstmile_app`.execute(db);
  await sql`DROP FUNCTION app_has_place, app_funds_ever, app_funds, app_owns, app_is_admin, app_is_system, app_role, app_org`.execute(db);
}

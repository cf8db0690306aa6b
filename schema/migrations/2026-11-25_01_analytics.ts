// Frozen in time: imports nothing from the application.
//
// The ETL's tables. Every writer (API, CLI, generator, psql) reaches the raw tables, so the
// queue of what changed is filled by triggers there, not by the application: a change nobody
// told the ETL about cannot exist. The analytics tables are derived and can always be rebuilt
// from the raw ones (`firstmile etl --full`).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE etl_queue (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('project_period', 'contacts', 'service', 'full')),
      organisation_id uuid,
      project_id uuid,
      -- Null period on a project_period entry: every period of the project.
      period_start date,
      period_end date,
      service_id uuid,
      first_contact_id bigint,
      last_contact_id bigint,
      enqueued_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);

  await sql`
    CREATE TABLE etl_runs (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      mode text NOT NULL CHECK (mode IN ('incremental', 'full')),
      started_at timestamptz NOT NULL,
      finished_at timestamptz NOT NULL,
      queue_entries integer NOT NULL,
      project_partitions integer NOT NULL,
      people integer NOT NULL,
      service_partitions integer NOT NULL,
      place_partitions integer NOT NULL,
      rows_written bigint NOT NULL,
      settings jsonb NOT NULL
    )
  `.execute(db);

  // One row per project, period and metric: the current version's whole-population figures.
  await sql`
    CREATE TABLE analytics_outcomes (
      organisation_id uuid NOT NULL,
      project_id uuid NOT NULL,
      place_code text NOT NULL,
      metric_key text NOT NULL,
      period_start date NOT NULL,
      period_end date NOT NULL,
      snapshot_id uuid NOT NULL,
      snapshot_version integer NOT NULL,
      value double precision,
      numerator bigint,
      denominator bigint,
      comparator_value double precision,
      comparator_kind text,
      comparator_source text,
      comparator_period_start date,
      comparator_period_end date,
      flags text[] NOT NULL,
      run_id bigint NOT NULL,
      PRIMARY KEY (organisation_id, project_id, period_start, period_end, metric_key)
    )
  `.execute(db);
  await sql`CREATE INDEX analytics_outcomes_by_metric ON analytics_outcomes (metric_key, period_start)`.execute(db);

  // Every contact with its episode: the fact table the system aggregates are summed from.
  // contacts.id is an identity over the whole table, so it identifies a contact alone. It is
  // narrow on purpose (numbers, not text) because every system figure is a pass over it.
  // Facts and episodes are UNLOGGED: derived, rebuilt in one pass, and written a million rows
  // at a time, so they skip the write-ahead log. PostgreSQL empties them after a crash; the ETL
  // notices (facts missing while contacts exist) and rebuilds. The tables people read (the
  // service and place periods, outcomes) are logged.
  await sql`
    CREATE UNLOGGED TABLE analytics_contact_facts (
      contact_id bigint PRIMARY KEY,
      organisation_id uuid NOT NULL,
      service_id uuid NOT NULL,
      place_code text NOT NULL,
      person_ref text NOT NULL,
      -- A 64-bit hash of person_ref: counting distinct people by it errs (two people counted
      -- as one) with odds of about n²/2⁶⁵, under one in a billion for 200,000 people.
      person_key bigint NOT NULL,
      occurred_at timestamptz NOT NULL,
      -- Months since year 0 (year × 12 + month − 1) of its UK calendar month: quarters and
      -- years are then integer division.
      month_index integer NOT NULL,
      minutes integer NOT NULL,
      -- The contact's own cost, else its service's unit cost, in pence; null when neither is known.
      cost_pence bigint,
      -- Its outcome was 'resolved': it ends its episode.
      resolves boolean NOT NULL,
      episode_id bigint NOT NULL,
      is_repeat boolean NOT NULL
    )
  `.execute(db);
  await sql`CREATE INDEX analytics_contact_facts_by_person ON analytics_contact_facts (person_key)`.execute(db);

  // A need from first contact to resolution (or to the last contact, while unresolved).
  // Its place and month are those of the contact that resolved it; null while unresolved.
  await sql`
    CREATE UNLOGGED TABLE analytics_episodes (
      episode_id bigint PRIMARY KEY,
      person_key bigint NOT NULL,
      started_at timestamptz NOT NULL,
      ended_at timestamptz NOT NULL,
      resolved boolean NOT NULL,
      place_code text,
      resolved_month_index integer,
      contacts integer NOT NULL,
      minutes bigint NOT NULL,
      cost_pence bigint,
      costed_contacts integer NOT NULL,
      services integer NOT NULL,
      CHECK (resolved = (resolved_month_index IS NOT NULL))
    )
  `.execute(db);
  await sql`CREATE INDEX analytics_episodes_by_person ON analytics_episodes (person_key)`.execute(db);
  // One row, written with the facts: if a crash emptied the unlogged tables, it is gone too.
  await sql`CREATE UNLOGGED TABLE analytics_unlogged_witness (written_by_run bigint NOT NULL)`.execute(db);

  const grain = sql.raw(`grain text NOT NULL CHECK (grain IN ('month', 'quarter', 'year'))`);
  await sql`
    CREATE TABLE analytics_service_periods (
      organisation_id uuid NOT NULL,
      service_id uuid NOT NULL,
      -- The project the service is the team of, if any: funders see it by funding.
      project_id uuid,
      place_code text NOT NULL,
      ${grain},
      period_start date NOT NULL,
      period_end date NOT NULL,
      contacts bigint NOT NULL,
      people bigint NOT NULL,
      minutes bigint NOT NULL,
      cost_gbp numeric(16, 2),
      costed_contacts bigint NOT NULL,
      repeat_contacts bigint NOT NULL,
      run_id bigint NOT NULL,
      PRIMARY KEY (organisation_id, service_id, grain, period_start)
    )
  `.execute(db);
  await sql`CREATE INDEX analytics_service_periods_by_place ON analytics_service_periods (place_code, grain, period_start)`.execute(db);

  await sql`
    CREATE TABLE analytics_place_periods (
      place_code text NOT NULL,
      ${grain},
      period_start date NOT NULL,
      period_end date NOT NULL,
      contacts bigint NOT NULL,
      people bigint NOT NULL,
      needs bigint NOT NULL,
      services bigint NOT NULL,
      minutes bigint NOT NULL,
      cost_gbp numeric(16, 2),
      costed_contacts bigint NOT NULL,
      repeat_contacts bigint NOT NULL,
      needs_resolved bigint NOT NULL,
      resolved_contacts bigint NOT NULL,
      resolved_minutes bigint NOT NULL,
      resolved_cost_gbp numeric(16, 2),
      resolved_costed_contacts bigint NOT NULL,
      resolved_services bigint NOT NULL,
      run_id bigint NOT NULL,
      PRIMARY KEY (place_code, grain, period_start)
    )
  `.execute(db);

  // The triggers run as their owner so that the confined request role can queue work it
  // could not otherwise see; the search path is pinned for the same reason.
  await sql`
    CREATE FUNCTION firstmile_queue_snapshots() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    BEGIN
      INSERT INTO etl_queue (kind, organisation_id, project_id, period_start, period_end)
      SELECT DISTINCT 'project_period', organisation_id, project_id, period_start, period_end FROM changed;
      PERFORM pg_notify('firstmile_etl', 'queued');
      RETURN NULL;
    END $$
  `.execute(db);
  await sql`
    CREATE FUNCTION firstmile_queue_observations() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    BEGIN
      INSERT INTO etl_queue (kind, organisation_id, project_id, period_start, period_end)
      SELECT DISTINCT 'project_period', s.organisation_id, s.project_id, s.period_start, s.period_end
      FROM (SELECT DISTINCT organisation_id, snapshot_id FROM changed) o
      JOIN snapshots s ON s.organisation_id = o.organisation_id AND s.id = o.snapshot_id;
      PERFORM pg_notify('firstmile_etl', 'queued');
      RETURN NULL;
    END $$
  `.execute(db);
  await sql`
    CREATE FUNCTION firstmile_queue_contacts() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    BEGIN
      -- A range per organisation, not a row per contact, keeps a million-row import cheap;
      -- the ETL finds the people from the range (over-reaching is safe, missing is not).
      INSERT INTO etl_queue (kind, organisation_id, first_contact_id, last_contact_id)
      SELECT 'contacts', organisation_id, min(id), max(id) FROM changed GROUP BY organisation_id;
      PERFORM pg_notify('firstmile_etl', 'queued');
      RETURN NULL;
    END $$
  `.execute(db);
  await sql`
    CREATE FUNCTION firstmile_queue_project() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    BEGIN
      IF NEW.place_code IS DISTINCT FROM OLD.place_code THEN
        INSERT INTO etl_queue (kind, organisation_id, project_id) VALUES ('project_period', NEW.organisation_id, NEW.id);
        PERFORM pg_notify('firstmile_etl', 'queued');
      END IF;
      RETURN NULL;
    END $$
  `.execute(db);
  await sql`
    CREATE FUNCTION firstmile_queue_service() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    BEGIN
      IF NEW.place_code IS DISTINCT FROM OLD.place_code
         OR NEW.project_id IS DISTINCT FROM OLD.project_id
         OR NEW.unit_cost_gbp_per_contact IS DISTINCT FROM OLD.unit_cost_gbp_per_contact THEN
        INSERT INTO etl_queue (kind, organisation_id, service_id) VALUES ('service', NEW.organisation_id, NEW.id);
        PERFORM pg_notify('firstmile_etl', 'queued');
      END IF;
      RETURN NULL;
    END $$
  `.execute(db);

  // PostgreSQL allows a transition table on a trigger for one event only, hence one per event.
  const statementTriggers: Array<[table: string, fn: string]> = [
    ['snapshots', 'firstmile_queue_snapshots'],
    ['observations', 'firstmile_queue_observations'],
    ['contacts', 'firstmile_queue_contacts'],
  ];
  for (const [table, fn] of statementTriggers) {
    for (const [event, transition] of [['INSERT', 'NEW'], ['UPDATE', 'NEW'], ['DELETE', 'OLD']] as const) {
      await sql`
        CREATE TRIGGER ${sql.id(`${table}_queue_${event.toLowerCase()}`)}
        AFTER ${sql.raw(event)} ON ${sql.table(table)}
        REFERENCING ${sql.raw(transition)} TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION ${sql.raw(fn)}()
      `.execute(db);
    }
  }
  // An update that moves contacts to another person also dirties the old one.
  await sql`
    CREATE TRIGGER contacts_queue_update_old AFTER UPDATE ON contacts
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION firstmile_queue_contacts()
  `.execute(db);
  await sql`
    CREATE TRIGGER projects_queue AFTER UPDATE ON projects
    FOR EACH ROW EXECUTE FUNCTION firstmile_queue_project()
  `.execute(db);
  await sql`
    CREATE TRIGGER services_queue AFTER UPDATE ON services
    FOR EACH ROW EXECUTE FUNCTION firstmile_queue_service()
  `.execute(db);

  // Row-level security: the ETL writes as the system; requests read what tenancy allows.
  // The queue has none: only its owner (the triggers, the ETL) ever touches it, and the
  // request role has no grant on it.
  for (const table of [
    'etl_runs', 'analytics_outcomes', 'analytics_contact_facts', 'analytics_episodes',
    'analytics_service_periods', 'analytics_place_periods',
  ]) {
    await sql`ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY`.execute(db);
    await sql`ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY`.execute(db);
    await sql`
      CREATE POLICY ${sql.id(`${table}_system`)} ON ${sql.table(table)} FOR ALL
      USING (app_is_system()) WITH CHECK (app_is_system())
    `.execute(db);
  }
  await sql`GRANT SELECT ON analytics_outcomes, analytics_service_periods, analytics_place_periods, etl_runs TO firstmile_app`.execute(db);
  await sql`
    CREATE POLICY analytics_outcomes_read ON analytics_outcomes FOR SELECT USING (
      app_owns(organisation_id) OR app_funds(project_id, period_start, period_end) OR app_has_place(place_code))
  `.execute(db);
  await sql`
    CREATE POLICY analytics_service_periods_read ON analytics_service_periods FOR SELECT USING (
      app_owns(organisation_id) OR app_has_place(place_code)
      OR (project_id IS NOT NULL AND app_funds(project_id, period_start, period_end)))
  `.execute(db);
  // A place's whole-system figures mix every organisation's contacts: its commissioners see
  // them, and so does anyone with a service there or funding a project there.
  await sql`
    CREATE POLICY analytics_place_periods_read ON analytics_place_periods FOR SELECT USING (
      app_is_admin() OR app_has_place(place_code)
      OR EXISTS (SELECT 1 FROM services s WHERE s.place_code = analytics_place_periods.place_code AND s.organisation_id = app_org())
      OR (app_role() = 'funder' AND EXISTS (
        SELECT 1 FROM projects p JOIN funding f ON f.organisation_id = p.organisation_id AND f.project_id = p.id
        WHERE p.place_code = analytics_place_periods.place_code AND f.funder_id = app_org() AND f.archived_at IS NULL)))
  `.execute(db);
  await sql`CREATE POLICY etl_runs_read ON etl_runs FOR SELECT USING (app_is_admin())`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [table, events] of [['snapshots', ['insert', 'update', 'delete']], ['observations', ['insert', 'update', 'delete']], ['contacts', ['insert', 'update', 'delete', 'update_old']]] as const) {
    for (const event of events) await sql`DROP TRIGGER ${sql.id(`${table}_queue_${event}`)} ON ${sql.table(table)}`.execute(db);
  }
  await sql`DROP TRIGGER projects_queue ON projects`.execute(db);
  await sql`DROP TRIGGER services_queue ON services`.execute(db);
  for (const table of [
    'analytics_unlogged_witness', 'analytics_place_periods', 'analytics_service_periods', 'analytics_episodes', 'analytics_contact_facts',
    'analytics_outcomes', 'etl_runs', 'etl_queue',
  ]) {
    await sql`DROP TABLE ${sql.table(table)}`.execute(db);
  }
  await sql`DROP FUNCTION firstmile_queue_snapshots, firstmile_queue_observations, firstmile_queue_contacts,
    firstmile_queue_project, firstmile_queue_service`.execute(db);
}

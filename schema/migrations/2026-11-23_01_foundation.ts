// Frozen in time: this migration imports nothing from the application. Changing the
// schema means a new migration, never an edit here once it has shipped.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Shared checks, kept in SQL so every writer (API, CLI, generator, psql) meets them.
  await sql`
    CREATE FUNCTION firstmile_assert_organisation_kind(org uuid, allowed text[], what text)
    RETURNS void LANGUAGE plpgsql AS $$
    DECLARE found_kind text;
    BEGIN
      SELECT kind INTO found_kind FROM organisations WHERE id = org;
      IF found_kind IS NULL OR NOT (found_kind = ANY (allowed)) THEN
        RAISE EXCEPTION USING
          ERRCODE = 'check_violation',
          MESSAGE = format('%s must belong to an organisation of kind %s, not %s',
                           what, array_to_string(allowed, ' or '), coalesce(found_kind, 'none'));
      END IF;
    END $$
  `.execute(db);

  await sql`
    CREATE TABLE organisations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
      kind text NOT NULL CHECK (kind IN ('provider', 'funder', 'commissioner', 'platform')),
      created_at timestamptz NOT NULL DEFAULT now(),
      archived_at timestamptz
    )
  `.execute(db);

  // Places are named for people reading charts; place_code elsewhere stays free text.
  await sql`
    CREATE TABLE places (
      code text PRIMARY KEY CHECK (length(btrim(code)) BETWEEN 1 AND 64),
      name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
      created_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);

  await sql`
    CREATE TABLE api_keys (
      organisation_id uuid NOT NULL REFERENCES organisations (id),
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      role text NOT NULL CHECK (role IN ('submitter', 'funder', 'analyst', 'commissioner', 'admin')),
      label text NOT NULL DEFAULT '' CHECK (length(label) <= 200),
      secret_hash bytea NOT NULL CHECK (length(secret_hash) = 32),
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      revoked_at timestamptz,
      PRIMARY KEY (organisation_id, id)
    )
  `.execute(db);
  await sql`CREATE INDEX api_keys_by_id ON api_keys (id)`.execute(db);

  await sql`
    CREATE TABLE projects (
      organisation_id uuid NOT NULL REFERENCES organisations (id),
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
      sector text NOT NULL CHECK (sector IN
        ('justice', 'health', 'social_care', 'housing', 'community', 'education', 'other')),
      place_code text NOT NULL CHECK (length(btrim(place_code)) BETWEEN 1 AND 64),
      started_on date NOT NULL CHECK (started_on BETWEEN '1900-01-01' AND '2200-12-31'),
      created_at timestamptz NOT NULL DEFAULT now(),
      archived_at timestamptz,
      PRIMARY KEY (organisation_id, id)
    )
  `.execute(db);
  await sql`CREATE INDEX projects_by_id ON projects (id)`.execute(db);
  await sql`CREATE INDEX projects_by_place ON projects (place_code)`.execute(db);

  await sql`
    CREATE TABLE funding (
      organisation_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      project_id uuid NOT NULL,
      funder_id uuid NOT NULL REFERENCES organisations (id),
      from_date date NOT NULL CHECK (from_date BETWEEN '1900-01-01' AND '2200-12-31'),
      to_date date CHECK (to_date BETWEEN '1900-01-01' AND '2200-12-31'),
      amount_gbp numeric(14, 2) NOT NULL CHECK (amount_gbp >= 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      archived_at timestamptz,
      PRIMARY KEY (organisation_id, id),
      FOREIGN KEY (organisation_id, project_id) REFERENCES projects (organisation_id, id),
      CHECK (to_date IS NULL OR from_date <= to_date)
    )
  `.execute(db);
  await sql`CREATE INDEX funding_by_funder ON funding (funder_id, project_id)`.execute(db);

  await sql`
    CREATE TABLE commissioner_places (
      organisation_id uuid NOT NULL REFERENCES organisations (id),
      place_code text NOT NULL CHECK (length(btrim(place_code)) BETWEEN 1 AND 64),
      created_at timestamptz NOT NULL DEFAULT now(),
      archived_at timestamptz,
      PRIMARY KEY (organisation_id, place_code)
    )
  `.execute(db);

  await sql`
    CREATE TABLE services (
      organisation_id uuid NOT NULL REFERENCES organisations (id),
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
      kind text NOT NULL CHECK (kind IN ('gp_practice', 'emergency_department', 'hospital',
        'housing_options', 'probation', 'social_work', 'mental_health', 'police',
        'community_project', 'other')),
      place_code text NOT NULL CHECK (length(btrim(place_code)) BETWEEN 1 AND 64),
      project_id uuid,
      unit_cost_gbp_per_contact numeric(12, 2) CHECK (unit_cost_gbp_per_contact >= 0),
      unit_cost_source text CHECK (length(unit_cost_source) <= 500),
      created_at timestamptz NOT NULL DEFAULT now(),
      archived_at timestamptz,
      PRIMARY KEY (organisation_id, id),
      FOREIGN KEY (organisation_id, project_id) REFERENCES projects (organisation_id, id),
      CHECK (unit_cost_gbp_per_contact IS NULL OR unit_cost_source IS NOT NULL)
    )
  `.execute(db);
  await sql`CREATE INDEX services_by_id ON services (id)`.execute(db);
  await sql`CREATE INDEX services_by_place ON services (place_code)`.execute(db);

  // A unit cost is a published figure: it carries where it came from and on what terms.
  await sql`
    CREATE TABLE unit_costs (
      code text PRIMARY KEY CHECK (length(btrim(code)) BETWEEN 1 AND 100),
      organisation_id uuid REFERENCES organisations (id),
      source_reference text NOT NULL CHECK (length(btrim(source_reference)) BETWEEN 1 AND 100),
      label text NOT NULL CHECK (length(btrim(label)) BETWEEN 1 AND 300),
      unit text NOT NULL CHECK (length(btrim(unit)) BETWEEN 1 AND 100),
      value_gbp numeric(12, 2) NOT NULL CHECK (value_gbp >= 0),
      price_year text NOT NULL CHECK (price_year ~ '^[0-9]{4}/[0-9]{2}$'),
      source text NOT NULL CHECK (length(btrim(source)) BETWEEN 1 AND 300),
      edition text NOT NULL CHECK (length(btrim(edition)) BETWEEN 1 AND 100),
      licence text NOT NULL CHECK (length(btrim(licence)) BETWEEN 1 AND 100),
      created_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);

  await sql`
    CREATE TABLE metrics (
      key text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_]{1,62}$'),
      organisation_id uuid REFERENCES organisations (id),
      label text NOT NULL CHECK (length(btrim(label)) BETWEEN 1 AND 200),
      kind text NOT NULL CHECK (kind IN
        ('count', 'proportion', 'rate_per_1000', 'duration_minutes', 'currency_gbp', 'score')),
      polarity text NOT NULL CHECK (polarity IN ('lower_is_better', 'higher_is_better')),
      theme text NOT NULL CHECK (theme IN ('relational', 'outcome', 'system', 'wellbeing')),
      description text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
      unit_cost_code text REFERENCES unit_costs (code),
      created_at timestamptz NOT NULL DEFAULT now(),
      archived_at timestamptz
    )
  `.execute(db);

  await sql`
    CREATE TABLE snapshots (
      organisation_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      project_id uuid NOT NULL,
      period_start date NOT NULL CHECK (period_start BETWEEN '1900-01-01' AND '2200-12-31'),
      period_end date NOT NULL CHECK (period_end BETWEEN '1900-01-01' AND '2200-12-31'),
      version integer NOT NULL CHECK (version >= 1),
      status text NOT NULL DEFAULT 'current' CHECK (status IN ('current', 'superseded', 'withdrawn')),
      submitted_at timestamptz NOT NULL DEFAULT now(),
      submitted_by uuid,
      submitted_via text NOT NULL CHECK (submitted_via IN ('api', 'csv', 'form', 'cli', 'generator')),
      PRIMARY KEY (organisation_id, id),
      FOREIGN KEY (organisation_id, project_id) REFERENCES projects (organisation_id, id),
      CONSTRAINT snapshots_version_unique
        UNIQUE (organisation_id, project_id, period_start, period_end, version),
      CHECK (period_start <= period_end)
    )
  `.execute(db);
  // History is kept, but only one version of a project+period can be the current one.
  await sql`
    CREATE UNIQUE INDEX snapshots_one_current
    ON snapshots (organisation_id, project_id, period_start, period_end)
    WHERE status = 'current'
  `.execute(db);

  await sql`
    CREATE TABLE observations (
      organisation_id uuid NOT NULL,
      id bigint GENERATED ALWAYS AS IDENTITY,
      snapshot_id uuid NOT NULL,
      metric_key text NOT NULL REFERENCES metrics (key),
      value double precision CHECK (abs(value) < 'Infinity'::float8),
      numerator bigint CHECK (numerator >= 0),
      denominator bigint CHECK (denominator >= 0),
      comparator_value double precision CHECK (abs(comparator_value) < 'Infinity'::float8),
      comparator_kind text CHECK (comparator_kind IN
        ('national_average', 'baseline', 'control_group', 'target')),
      comparator_source text CHECK (length(comparator_source) <= 500),
      comparator_period_start date,
      comparator_period_end date,
      disaggregation jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(disaggregation) = 'object'),
      flags text[] NOT NULL DEFAULT '{}',
      PRIMARY KEY (organisation_id, id),
      FOREIGN KEY (organisation_id, snapshot_id) REFERENCES snapshots (organisation_id, id),
      CONSTRAINT observations_one_per_metric
        UNIQUE (organisation_id, snapshot_id, metric_key, disaggregation),
      CHECK ((numerator IS NULL) = (denominator IS NULL)),
      CHECK (numerator <= denominator),
      CHECK (value IS NOT NULL OR numerator IS NOT NULL),
      CHECK ((comparator_value IS NULL) = (comparator_kind IS NULL)),
      CHECK (comparator_period_start <= comparator_period_end)
    )
  `.execute(db);

  // What a value may be depends on its metric's kind; the derived rate is filled in here
  // so that every writer gets the same one.
  await sql`
    CREATE FUNCTION firstmile_check_observation() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE metric_kind text;
    BEGIN
      SELECT kind INTO metric_kind FROM metrics WHERE key = NEW.metric_key;
      IF metric_kind = 'proportion' THEN
        IF NEW.numerator IS NOT NULL THEN
          NEW.value := CASE WHEN NEW.denominator > 0
                            THEN NEW.numerator::float8 / NEW.denominator END;
        ELSIF NEW.value < 0 OR NEW.value > 1 THEN
          RAISE EXCEPTION USING ERRCODE = 'check_violation',
            MESSAGE = format('%s is a proportion: value must lie between 0 and 1', NEW.metric_key);
        END IF;
        IF NEW.comparator_value < 0 OR NEW.comparator_value > 1 THEN
          RAISE EXCEPTION USING ERRCODE = 'check_violation',
            MESSAGE = format('%s is a proportion: comparator must lie between 0 and 1', NEW.metric_key);
        END IF;
      ELSE
        IF NEW.numerator IS NOT NULL THEN
          RAISE EXCEPTION USING ERRCODE = 'check_violation',
            MESSAGE = format('%s is a %s: give a value, not a numerator and denominator',
                             NEW.metric_key, metric_kind);
        END IF;
        IF metric_kind <> 'score' AND (NEW.value < 0 OR NEW.comparator_value < 0) THEN
          RAISE EXCEPTION USING ERRCODE = 'check_violation',
            MESSAGE = format('%s is a %s and cannot be negative', NEW.metric_key, metric_kind);
        END IF;
        IF metric_kind = 'count' AND NEW.value <> trunc(NEW.value) THEN
          RAISE EXCEPTION USING ERRCODE = 'check_violation',
            MESSAGE = format('%s is a count and must be a whole number', NEW.metric_key);
        END IF;
      END IF;
      RETURN NEW;
    END $$
  `.execute(db);
  await sql`
    CREATE TRIGGER observations_check BEFORE INSERT OR UPDATE ON observations
    FOR EACH ROW EXECUTE FUNCTION firstmile_check_observation()
  `.execute(db);

  await sql`
    CREATE TABLE stories (
      organisation_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      snapshot_id uuid NOT NULL,
      project_id uuid NOT NULL,
      title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
      body text NOT NULL CHECK (length(btrim(body)) BETWEEN 1 AND 10000),
      themes text[] NOT NULL DEFAULT '{}',
      linked_metrics text[] NOT NULL DEFAULT '{}',
      storyteller_role text NOT NULL CHECK (storyteller_role IN
        ('person', 'family', 'practitioner', 'volunteer', 'other')),
      consent_status text NOT NULL CHECK (consent_status IN
        ('given', 'withheld', 'not_required_anonymised')),
      consent_scope text NOT NULL CHECK (consent_scope IN ('internal', 'funders', 'public')),
      consent_recorded_on date CHECK (consent_recorded_on BETWEEN '1900-01-01' AND '2200-12-31'),
      anonymised boolean NOT NULL,
      pii_flags text[] NOT NULL DEFAULT '{}',
      pii_cleared_at timestamptz,
      pii_cleared_by uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (organisation_id, id),
      FOREIGN KEY (organisation_id, snapshot_id) REFERENCES snapshots (organisation_id, id),
      FOREIGN KEY (organisation_id, project_id) REFERENCES projects (organisation_id, id),
      -- Without consent a story stays with its own project, whatever scope was asked for.
      CHECK (consent_status <> 'withheld' OR consent_scope = 'internal'),
      CHECK (consent_status <> 'not_required_anonymised' OR anonymised),
      CHECK (consent_status <> 'given' OR consent_recorded_on IS NOT NULL),
      CHECK (cardinality(themes) <= 20 AND cardinality(linked_metrics) <= 50)
    )
  `.execute(db);
  await sql`CREATE INDEX stories_by_project ON stories (organisation_id, project_id)`.execute(db);

  await sql`
    CREATE TABLE contacts (
      organisation_id uuid NOT NULL,
      id bigint GENERATED ALWAYS AS IDENTITY,
      service_id uuid NOT NULL,
      person_ref text NOT NULL CHECK (length(person_ref) BETWEEN 1 AND 128),
      need_ref text CHECK (length(need_ref) BETWEEN 1 AND 128),
      occurred_at timestamptz NOT NULL
        CHECK (occurred_at BETWEEN '1900-01-01' AND '2200-12-31'),
      minutes integer NOT NULL CHECK (minutes BETWEEN 0 AND 1440),
      cost_gbp numeric(12, 2) CHECK (cost_gbp >= 0),
      channel text NOT NULL CHECK (channel IN ('face_to_face', 'phone', 'online', 'home_visit', 'other')),
      outcome text NOT NULL CHECK (outcome IN ('resolved', 'referred_on', 'no_action', 'ongoing')),
      source_contact_id text CHECK (length(source_contact_id) BETWEEN 1 AND 128),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (organisation_id, id),
      FOREIGN KEY (organisation_id, service_id) REFERENCES services (organisation_id, id),
      -- The natural key: a re-sent row is the same contact, never a second one.
      CONSTRAINT contacts_natural_key UNIQUE NULLS NOT DISTINCT
        (organisation_id, service_id, person_ref, occurred_at, source_contact_id)
    )
  `.execute(db);
  await sql`CREATE INDEX contacts_by_person ON contacts (person_ref, occurred_at)`.execute(db);
  await sql`
    CREATE INDEX contacts_by_service ON contacts (organisation_id, service_id, occurred_at)
  `.execute(db);

  await sql`
    CREATE TABLE audit_log (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      organisation_id uuid,
      actor_organisation_id uuid,
      actor_key_id uuid,
      actor_role text,
      action text NOT NULL CHECK (length(action) BETWEEN 1 AND 100),
      entity text NOT NULL CHECK (length(entity) BETWEEN 1 AND 100),
      entity_id text,
      details jsonb NOT NULL DEFAULT '{}',
      request_id text,
      at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
  await sql`CREATE INDEX audit_log_by_organisation ON audit_log (organisation_id, at)`.execute(db);
  await sql`
    CREATE FUNCTION firstmile_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = 'the audit log is append-only';
    END $$
  `.execute(db);
  await sql`
    CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION firstmile_audit_log_append_only()
  `.execute(db);
  await sql`
    CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION firstmile_audit_log_append_only()
  `.execute(db);

  await sql`
    CREATE TABLE idempotency_keys (
      organisation_id uuid NOT NULL REFERENCES organisations (id),
      key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
      method text NOT NULL,
      path text NOT NULL,
      request_hash bytea NOT NULL CHECK (length(request_hash) = 32),
      state text NOT NULL CHECK (state IN ('in_progress', 'completed')),
      response_status integer CHECK (response_status BETWEEN 100 AND 599),
      response_body jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL DEFAULT now() + interval '24 hours',
      PRIMARY KEY (organisation_id, key),
      CHECK (expires_at >= created_at + interval '24 hours'),
      CHECK (state = 'in_progress' OR response_status IS NOT NULL)
    )
  `.execute(db);

  // The owning organisation's kind is part of the model: only providers run projects,
  // only funders fund, only commissioners hold places.
  await sql`
    CREATE FUNCTION firstmile_check_tenant_kinds() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_TABLE_NAME = 'projects' THEN
        PERFORM firstmile_assert_organisation_kind(NEW.organisation_id, ARRAY['provider'], 'a project');
      ELSIF TG_TABLE_NAME = 'funding' THEN
        PERFORM firstmile_assert_organisation_kind(NEW.funder_id, ARRAY['funder'], 'a funder');
      ELSIF TG_TABLE_NAME = 'commissioner_places' THEN
        PERFORM firstmile_assert_organisation_kind(NEW.organisation_id, ARRAY['commissioner'], 'a place link');
      ELSE
        RAISE EXCEPTION 'firstmile_check_tenant_kinds has no rule for %', TG_TABLE_NAME;
      END IF;
      RETURN NEW;
    END $$
  `.execute(db);
  for (const table of ['projects', 'funding', 'commissioner_places']) {
    await sql`
      CREATE TRIGGER ${sql.id(`${table}_organisation_kind`)} BEFORE INSERT OR UPDATE ON ${sql.table(table)}
      FOR EACH ROW EXECUTE FUNCTION firstmile_check_tenant_kinds()
    `.execute(db);
  }

  await seedCatalogue(db);
}

// The built-in catalogue as it stood on this date. Unit costs only where a citable figure
// exists: the Greater Manchester (New Economy) Unit Cost Database v1.4, March 2015.
async function seedCatalogue(db: Kysely<any>): Promise<void> {
  const gm = {
    source: 'Greater Manchester Combined Authority (New Economy) Unit Cost Database',
    edition: 'v1.4 (March 2015)',
    licence: 'CC BY 4.0',
  };
  await db
    .insertInto('unit_costs')
    .values([
      { code: 'gm-ucd-1.4/HE7.0.2', source_reference: 'HE7.0.2', label: 'Non-elective inpatient episode (emergency admission), average cost per episode', unit: 'per episode', value_gbp: 1542, price_year: '2013/14', ...gm },
      { code: 'gm-ucd-1.4/HE4.0', source_reference: 'HE4.0', label: 'Accident and emergency attendance, average cost per attendance', unit: 'per attendance', value_gbp: 109, price_year: '2011/12', ...gm },
      { code: 'gm-ucd-1.4/HE20.2', source_reference: 'HE20.2', label: 'GP face-to-face consultation, cost per consultation', unit: 'per consultation', value_gbp: 38, price_year: '2013/14', ...gm },
      { code: 'gm-ucd-1.4/HO3.0', source_reference: 'HO3.0', label: 'Statutory homelessness application, cost per application', unit: 'per application', value_gbp: 2501, price_year: '2010/11', ...gm },
      { code: 'gm-ucd-1.4/SS18.1', source_reference: 'SS18.1', label: 'Social worker, cost per hour', unit: 'per hour', value_gbp: 40, price_year: '2013/14', ...gm },
    ])
    .execute();

  const metric = (
    key: string, label: string, kind: string, polarity: string, theme: string,
    description: string, unit_cost_code: string | null = null,
  ) => ({ key, label, kind, polarity, theme, description, unit_cost_code });

  await db
    .insertInto('metrics')
    .values([
      metric('repeat_conversations', 'Repeat conversations', 'proportion', 'lower_is_better', 'system',
        'Share of contacts that repeat an earlier conversation about the same unresolved need (failure demand).'),
      metric('reoffending_12m', 'Reoffending within 12 months', 'proportion', 'lower_is_better', 'outcome',
        'Share of people who committed a proven offence within 12 months of starting with the project.'),
      metric('non_elective_admissions', 'Emergency hospital admissions', 'count', 'lower_is_better', 'outcome',
        'Non-elective (emergency) inpatient admissions in the period.', 'gm-ucd-1.4/HE7.0.2'),
      metric('ae_attendances', 'A&E attendances', 'count', 'lower_is_better', 'outcome',
        'Attendances at accident and emergency departments in the period.', 'gm-ucd-1.4/HE4.0'),
      metric('gp_appointments', 'GP appointments', 'count', 'lower_is_better', 'system',
        'Face-to-face GP consultations in the period.', 'gm-ucd-1.4/HE20.2'),
      metric('waiting_list_length', 'Waiting list length', 'count', 'lower_is_better', 'system',
        'People waiting at the end of the period.'),
      metric('sustained_employment', 'Sustained employment', 'proportion', 'higher_is_better', 'outcome',
        'Share of people in work for at least 13 continuous weeks.'),
      metric('medication_adherence', 'Medication adherence', 'proportion', 'higher_is_better', 'outcome',
        'Share of people taking their medication as prescribed.'),
      metric('continuity_of_care', 'Continuity of care', 'proportion', 'higher_is_better', 'relational',
        'Share of contacts with the same named worker as the previous contact.'),
      metric('staff_retention', 'Staff retention', 'proportion', 'higher_is_better', 'relational',
        'Share of staff in post at the start of the period still in post at its end.'),
      metric('loneliness', 'Feeling lonely often or always', 'proportion', 'lower_is_better', 'wellbeing',
        'Share of people who say they feel lonely often or always (the ONS direct question).'),
      metric('homelessness_applications', 'Statutory homelessness applications', 'count', 'lower_is_better', 'outcome',
        'Statutory homelessness applications made in the period.', 'gm-ucd-1.4/HO3.0'),
      metric('people_supported', 'People supported', 'count', 'higher_is_better', 'relational',
        'Distinct people the project worked with in the period.'),
    ])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'idempotency_keys', 'audit_log', 'contacts', 'stories', 'observations', 'snapshots', 'metrics',
    'unit_costs', 'services', 'commissioner_places', 'funding', 'projects', 'api_keys', 'places',
    'organisations',
  ]) {
    await sql`DROP TABLE ${sql.table(table)}`.execute(db);
  }
  await sql`DROP FUNCTION firstmile_check_tenant_kinds, firstmile_audit_log_append_only,
    firstmile_check_observation, firstmile_assert_organisation_kind`.execute(db);
}

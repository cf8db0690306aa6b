import type pg from 'pg';
import type { Json } from './benchmark.ts';

/**
 * The limit for `npm run bench -- etl`: the ETL's part-system (service) and whole-system
 * (place) figures at month, quarter and year grain, computed by ONE hand-written statement
 * straight from the raw tables (contacts join services), written to a temporary table and
 * nothing else: no fact table, no episode table, no index.
 *
 * Episodes are found exactly as etl/src/run/contact-facts.ts defines them: a person's contacts,
 * per need_ref (all contacts without one form one line), in time order; a contact starts an
 * episode when it is the first, when the one before it resolved the need, or, without a
 * need_ref, when more than `gapDays` passed since the one before; the episode is named by its
 * first contact's id. Months are UK calendar months.
 *
 * What makes it fast, besides writing nothing: the one sort the episode windows need compares
 * text in the "C" collation (equality, which is all partitioning needs, is the same in every
 * deterministic collation); distinct people and needs are counted by marking, with one window
 * sort each, the first contact of a person (or need) in a month, a quarter and a year, then
 * counting marks — a mark for a quarter lies in one month of it, so month rows add up to
 * quarters and years — instead of hashing every (person, period) pair; sums are integers.
 * People are counted by the same 64-bit hash of person_ref the ETL uses (see
 * personKeyCollisions for the check that it merges no two people here).
 */
export function limitStatement(table: string, gapDays: number, timeZone: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`not a plain table name: ${table}`);
  if (!Number.isSafeInteger(gapDays) || gapDays < 0) throw new RangeError(`gapDays must be a whole number, not ${gapDays}`);
  const zone = `'${timeZone.replaceAll("'", "''")}'`;
  const period = (index: string, months: string) => {
    const first = `make_date((${index}) * ${months} / 12, (${index}) * ${months} % 12 + 1, 1)`;
    return { start: first, end: `(${first} + make_interval(months => ${months}) - interval '1 day')::date` };
  };
  const svcPeriod = period('period_index', 'months');
  return `
CREATE TEMP TABLE ${table} AS
WITH facts AS (
  SELECT organisation_id, service_id, project_id, place_code, person_key, month_index, minutes, cost_pence, resolves,
         nth_value(id, start_row::int) OVER w AS episode_id, NOT starts AS is_repeat
  FROM (
    SELECT *, max(CASE WHEN starts THEN row_in_line END) OVER w AS start_row
    FROM (
      SELECT c.id, c.organisation_id, c.service_id, s.project_id, s.place_code, c.person_ref, hashtextextended(c.person_ref, 0) AS person_key,
             c.need_ref, c.occurred_at, c.minutes,
             (extract(year FROM c.occurred_at AT TIME ZONE ${zone})::int * 12
               + extract(month FROM c.occurred_at AT TIME ZONE ${zone})::int - 1) AS month_index,
             (coalesce(c.cost_gbp, s.unit_cost_gbp_per_contact) * 100)::int AS cost_pence,
             c.outcome = 'resolved' AS resolves,
             row_number() OVER w AS row_in_line,
             coalesce(lag(c.outcome) OVER w = 'resolved'
                      OR (c.need_ref IS NULL AND c.occurred_at - lag(c.occurred_at) OVER w > ${gapDays} * interval '1 day'), true) AS starts
      FROM contacts c JOIN services s ON s.organisation_id = c.organisation_id AND s.id = c.service_id
      WINDOW w AS (PARTITION BY c.person_ref COLLATE "C", c.need_ref COLLATE "C" ORDER BY c.occurred_at, c.id)
    ) marked
    WINDOW w AS (PARTITION BY person_ref COLLATE "C", need_ref COLLATE "C" ORDER BY occurred_at, id)
  ) numbered
  WINDOW w AS (PARTITION BY person_ref COLLATE "C", need_ref COLLATE "C" ORDER BY occurred_at, id)
),
-- The month of the same person's (per service; per place) or the same need's (per place) contact before, if any.
marked AS MATERIALIZED (
  SELECT f.*, lag(month_index) OVER sp AS sp_prev, lag(month_index) OVER pp AS pp_prev, lag(month_index) OVER pn AS pn_prev
  FROM facts f
  WINDOW sp AS (PARTITION BY organisation_id, service_id, person_key ORDER BY month_index),
         pp AS (PARTITION BY place_code COLLATE "C", person_key ORDER BY month_index),
         pn AS (PARTITION BY place_code COLLATE "C", episode_id ORDER BY month_index)
),
grains (grain, months) AS (VALUES ('month', 1), ('quarter', 3), ('year', 12)),
svc_month AS (
  SELECT organisation_id, service_id, project_id, max(place_code) AS place_code, month_index, count(*) AS contacts,
         count(*) FILTER (WHERE sp_prev IS DISTINCT FROM month_index) AS people_m,
         count(*) FILTER (WHERE sp_prev IS NULL OR sp_prev / 3 <> month_index / 3) AS people_q,
         count(*) FILTER (WHERE sp_prev IS NULL OR sp_prev / 12 <> month_index / 12) AS people_y,
         sum(minutes) AS minutes, sum(cost_pence) AS cost_pence, count(cost_pence) AS costed_contacts,
         count(*) FILTER (WHERE is_repeat) AS repeat_contacts
  FROM marked GROUP BY organisation_id, service_id, project_id, month_index
),
svc AS (
  SELECT organisation_id, service_id, project_id, max(place_code) AS place_code, grain, month_index / months AS period_index, months,
         sum(contacts) AS contacts, sum(CASE grain WHEN 'month' THEN people_m WHEN 'quarter' THEN people_q ELSE people_y END) AS people,
         sum(minutes) AS minutes, sum(cost_pence) AS cost_pence, sum(costed_contacts) AS costed_contacts, sum(repeat_contacts) AS repeat_contacts
  FROM svc_month CROSS JOIN grains
  GROUP BY organisation_id, service_id, project_id, grain, months, month_index / months
),
place_month AS (
  SELECT place_code, month_index, count(*) AS contacts,
         count(*) FILTER (WHERE pp_prev IS DISTINCT FROM month_index) AS people_m,
         count(*) FILTER (WHERE pp_prev IS NULL OR pp_prev / 3 <> month_index / 3) AS people_q,
         count(*) FILTER (WHERE pp_prev IS NULL OR pp_prev / 12 <> month_index / 12) AS people_y,
         count(*) FILTER (WHERE pn_prev IS DISTINCT FROM month_index) AS needs_m,
         count(*) FILTER (WHERE pn_prev IS NULL OR pn_prev / 3 <> month_index / 3) AS needs_q,
         count(*) FILTER (WHERE pn_prev IS NULL OR pn_prev / 12 <> month_index / 12) AS needs_y,
         sum(minutes) AS minutes, sum(cost_pence) AS cost_pence, count(cost_pence) AS costed_contacts,
         count(*) FILTER (WHERE is_repeat) AS repeat_contacts
  FROM marked GROUP BY place_code, month_index
),
place_contacts AS (
  SELECT place_code, grain, month_index / months AS period_index, months, sum(contacts) AS contacts,
         sum(CASE grain WHEN 'month' THEN people_m WHEN 'quarter' THEN people_q ELSE people_y END) AS people,
         sum(CASE grain WHEN 'month' THEN needs_m WHEN 'quarter' THEN needs_q ELSE needs_y END) AS needs,
         sum(minutes) AS minutes, sum(cost_pence) AS cost_pence, sum(costed_contacts) AS costed_contacts, sum(repeat_contacts) AS repeat_contacts
  FROM place_month CROSS JOIN grains
  GROUP BY place_code, grain, months, month_index / months
),
-- Each need over all its contacts (distinct services by grouping per service first); a resolved one
-- belongs to the place and month of the contact that resolved it, which is its last.
episodes AS (
  SELECT episode_id, max(resolved_place) AS place_code, max(resolved_month) AS resolved_month, sum(contacts) AS contacts,
         sum(minutes) AS minutes, sum(cost_pence) AS cost_pence, sum(costed_contacts) AS costed_contacts, count(*) AS services
  FROM (
    SELECT episode_id, service_id, max(place_code) FILTER (WHERE resolves) AS resolved_place,
           max(month_index) FILTER (WHERE resolves) AS resolved_month, count(*)::int AS contacts, sum(minutes)::int AS minutes,
           sum(cost_pence)::int AS cost_pence, count(cost_pence)::int AS costed_contacts
    FROM marked GROUP BY episode_id, service_id
  ) by_service
  GROUP BY episode_id
),
resolved_month AS (
  SELECT place_code, resolved_month, count(*) AS needs_resolved, sum(contacts) AS contacts, sum(minutes) AS minutes,
         sum(cost_pence) AS cost_pence, sum(costed_contacts) AS costed_contacts, sum(services) AS services
  FROM episodes WHERE resolved_month IS NOT NULL GROUP BY place_code, resolved_month
),
place_resolved AS (
  SELECT place_code, grain, resolved_month / months AS period_index, months, sum(needs_resolved) AS needs_resolved,
         sum(contacts) AS resolved_contacts, sum(minutes) AS resolved_minutes, sum(cost_pence) AS resolved_cost_pence,
         sum(costed_contacts) AS resolved_costed_contacts, sum(services) AS resolved_services
  FROM resolved_month CROSS JOIN grains
  GROUP BY place_code, grain, months, resolved_month / months
),
place_services AS (
  SELECT place_code, grain, period_index, count(*) AS services FROM svc GROUP BY place_code, grain, period_index
)
SELECT 'service'::text AS level, organisation_id, service_id, project_id, place_code, grain,
       ${svcPeriod.start} AS period_start, ${svcPeriod.end} AS period_end,
       contacts::bigint, people::bigint, NULL::bigint AS needs, NULL::bigint AS services, minutes::bigint,
       (cost_pence / 100.0)::numeric(16, 2) AS cost_gbp, costed_contacts::bigint, repeat_contacts::bigint,
       NULL::bigint AS needs_resolved, NULL::bigint AS resolved_contacts, NULL::bigint AS resolved_minutes,
       NULL::numeric(16, 2) AS resolved_cost_gbp, NULL::bigint AS resolved_costed_contacts, NULL::bigint AS resolved_services
FROM svc
UNION ALL
SELECT 'place', NULL, NULL, NULL, place_code, grain, ${svcPeriod.start}, ${svcPeriod.end},
       coalesce(c.contacts, 0), coalesce(c.people, 0), coalesce(c.needs, 0), coalesce(s.services, 0), coalesce(c.minutes, 0),
       (c.cost_pence / 100.0)::numeric(16, 2), coalesce(c.costed_contacts, 0), coalesce(c.repeat_contacts, 0),
       coalesce(r.needs_resolved, 0), coalesce(r.resolved_contacts, 0), coalesce(r.resolved_minutes, 0),
       (r.resolved_cost_pence / 100.0)::numeric(16, 2), coalesce(r.resolved_costed_contacts, 0), coalesce(r.resolved_services, 0)
FROM place_contacts c
FULL JOIN place_resolved r USING (place_code, grain, period_index, months)
LEFT JOIN place_services s USING (place_code, grain, period_index)`;
}

const levels = {
  service: {
    table: 'analytics_service_periods',
    key: ['organisation_id', 'service_id', 'grain', 'period_start'],
    columns: ['project_id', 'place_code', 'period_end', 'contacts', 'people', 'minutes', 'cost_gbp', 'costed_contacts', 'repeat_contacts'],
  },
  place: {
    table: 'analytics_place_periods',
    key: ['place_code', 'grain', 'period_start'],
    columns: [
      'period_end', 'contacts', 'people', 'needs', 'services', 'minutes', 'cost_gbp', 'costed_contacts', 'repeat_contacts',
      'needs_resolved', 'resolved_contacts', 'resolved_minutes', 'resolved_cost_gbp', 'resolved_costed_contacts', 'resolved_services',
    ],
  },
} as const;

export interface LevelComparison {
  etlRows: number;
  limitRows: number;
  rowsByGrain: { [grain: string]: number };
  onlyInEtl: number;
  onlyInLimit: number;
  /** Rows on both sides whose column differs, per column. */
  differingColumns: { [column: string]: number };
  /** Up to ten differing rows, each side's values as text. */
  examples: Json[];
}

export interface Comparison {
  equal: boolean;
  service: LevelComparison;
  place: LevelComparison;
}

type TextRow = { [column: string]: string | null };

async function compareLevel(client: pg.PoolClient, limitTable: string, level: keyof typeof levels): Promise<LevelComparison> {
  const { table, key, columns } = levels[level];
  const list = [...key, ...columns].map((c) => `${c}::text AS ${c}`).join(', ');
  const etl = (await client.query<TextRow>(`SELECT ${list} FROM ${table}`)).rows;
  const limit = (await client.query<TextRow>(`SELECT ${list} FROM ${limitTable} WHERE level = $1`, [level])).rows;
  const keyOf = (row: TextRow) => key.map((k) => row[k] ?? '∅').join('|');
  const byKey = new Map(limit.map((row) => [keyOf(row), row]));
  const differingColumns: { [column: string]: number } = {};
  const examples: Json[] = [];
  const rowsByGrain: { [grain: string]: number } = {};
  let onlyInEtl = 0;
  for (const row of etl) {
    const grain = row.grain ?? '?';
    rowsByGrain[grain] = (rowsByGrain[grain] ?? 0) + 1;
    const other = byKey.get(keyOf(row));
    if (!other) {
      onlyInEtl += 1;
      if (examples.length < 10) examples.push({ key: keyOf(row), etl: { ...row }, limit: null });
      continue;
    }
    byKey.delete(keyOf(row));
    const differing = columns.filter((c) => row[c] !== other[c]);
    for (const c of differing) differingColumns[c] = (differingColumns[c] ?? 0) + 1;
    if (differing.length > 0 && examples.length < 10) {
      examples.push({
        key: keyOf(row),
        etl: Object.fromEntries(differing.map((c) => [c, row[c] ?? null])),
        limit: Object.fromEntries(differing.map((c) => [c, other[c] ?? null])),
      });
    }
  }
  for (const row of byKey.values()) if (examples.length < 10) examples.push({ key: keyOf(row), etl: null, limit: { ...row } });
  return { etlRows: etl.length, limitRows: limit.length, rowsByGrain, onlyInEtl, onlyInLimit: byKey.size, differingColumns, examples };
}

/** The limit's rows against the ETL's analytics_service_periods and analytics_place_periods, every grain, column by column. */
export async function compareWithEtl(client: pg.PoolClient, limitTable: string): Promise<Comparison> {
  const service = await compareLevel(client, limitTable, 'service');
  const place = await compareLevel(client, limitTable, 'place');
  const clean = (c: LevelComparison) => c.onlyInEtl === 0 && c.onlyInLimit === 0 && Object.keys(c.differingColumns).length === 0;
  return { equal: clean(service) && clean(place), service, place };
}

/** People the 64-bit person_key would count as one: distinct person_ref minus distinct hashes. */
export async function personKeyCollisions(client: pg.PoolClient): Promise<{ personRefs: number; personKeys: number; collisions: number }> {
  const { rows } = await client.query<{ refs: string; keys: string }>(
    'SELECT count(DISTINCT person_ref)::text AS refs, count(DISTINCT hashtextextended(person_ref, 0))::text AS keys FROM contacts',
  );
  const refs = Number(rows[0]?.refs ?? 0);
  const keys = Number(rows[0]?.keys ?? 0);
  return { personRefs: refs, personKeys: keys, collisions: refs - keys };
}

/**
 * analytics_outcomes against the current versions' whole-population observations read afresh
 * (what insertOutcomes selects): rows missing on either side, by key and figures.
 */
export async function compareOutcomes(client: pg.PoolClient): Promise<{ equal: boolean; etlRows: number; freshRows: number; onlyInEtl: number; onlyInFresh: number }> {
  const fresh = `
    SELECT s.organisation_id, s.project_id, pr.place_code, o.metric_key, s.period_start, s.period_end, s.id AS snapshot_id,
           s.version AS snapshot_version, o.value, o.numerator, o.denominator, o.comparator_value, o.comparator_kind, o.flags
    FROM snapshots s
    JOIN projects pr ON pr.organisation_id = s.organisation_id AND pr.id = s.project_id
    JOIN observations o ON o.organisation_id = s.organisation_id AND o.snapshot_id = s.id
    WHERE s.status = 'current' AND o.disaggregation = '{}'::jsonb`;
  const etl = `
    SELECT organisation_id, project_id, place_code, metric_key, period_start, period_end, snapshot_id, snapshot_version,
           value, numerator, denominator, comparator_value, comparator_kind, flags
    FROM analytics_outcomes`;
  const { rows } = await client.query<{ etl: string; fresh: string; only_etl: string; only_fresh: string }>(`
    SELECT (SELECT count(*) FROM (${etl}) e)::text AS etl, (SELECT count(*) FROM (${fresh}) f)::text AS fresh,
           (SELECT count(*) FROM (${etl} EXCEPT ALL ${fresh}) x)::text AS only_etl,
           (SELECT count(*) FROM (${fresh} EXCEPT ALL ${etl}) x)::text AS only_fresh`);
  const row = rows[0]!;
  const result = { etlRows: Number(row.etl), freshRows: Number(row.fresh), onlyInEtl: Number(row.only_etl), onlyInFresh: Number(row.only_fresh) };
  return { equal: result.onlyInEtl === 0 && result.onlyInFresh === 0, ...result };
}

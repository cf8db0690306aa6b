import { sql, type RawBuilder } from 'kysely';
import { periodDates } from './periods.ts';

/*
 * Part-system (per service) and whole-system (per place) sums over the contact facts, at
 * month, quarter and year grain. Distinct people (and needs) cannot be added up from months
 * to a year, so each grain groups by person first and counts the groups after: hashing on
 * integers, where count(DISTINCT …) would sort every contact once per grain. Sums are kept
 * in 32-bit integers below the last level (a person's minutes or pence in a year fit), which
 * PostgreSQL adds far faster than 64-bit ones.
 *
 * With `parts` null every partition is built; otherwise only those in the named table
 * (the partition key, grain, period_index). A dirty month always brings its quarter and
 * year, so reading every fact of the years involved covers them all.
 */

const pounds = (pence: RawBuilder<unknown>) => sql`(${pence} / 100.0)::numeric(16, 2)`;
const grains = [['quarter', 3], ['year', 12]] as const;

/** One level of grouping per grain over `source`, keyed by `keys` and the grain's period. */
function perGrain(source: string, keys: string, sums: RawBuilder<unknown>, monthKeyed: RawBuilder<unknown>): RawBuilder<unknown> {
  const rolled = grains.map(([grain, months]) => sql`
    SELECT ${sql.raw(keys)}, ${sql.lit(grain)} AS grain, month_index / ${sql.lit(months)} AS period_index, ${sql.lit(months)} AS months, ${sums}
    FROM ${sql.table(source)}
    GROUP BY ${sql.raw(keys)}, month_index / ${sql.lit(months)}`);
  return sql`${monthKeyed} UNION ALL ${sql.join(rolled, sql` UNION ALL `)}`;
}

export function insertServicePeriods(runId: number, parts: string | null): RawBuilder<unknown> {
  const scope = parts === null
    ? sql``
    : sql`WHERE EXISTS (SELECT 1 FROM ${sql.table(parts)} p WHERE p.grain = 'year'
          AND p.organisation_id = f.organisation_id AND p.service_id = f.service_id
          AND f.month_index BETWEEN p.period_index * 12 AND p.period_index * 12 + 11)`;
  const keep = parts === null
    ? sql``
    : sql`WHERE (organisation_id, service_id, grain, period_index) IN
        (SELECT organisation_id, service_id, grain, period_index FROM ${sql.table(parts)})`;
  const keys = 'organisation_id, service_id, person_key';
  const sums = sql`max(place_code) AS place_code, sum(contacts)::int AS contacts, sum(minutes)::int AS minutes,
    sum(cost_pence)::int AS cost_pence, sum(costed_contacts)::int AS costed_contacts, sum(repeat_contacts)::int AS repeat_contacts`;
  const { start, end } = periodDates(sql`period_index`, sql`months`);
  return sql`
    WITH per_month AS MATERIALIZED (
      SELECT f.organisation_id, f.service_id, f.person_key, f.month_index, max(f.place_code) AS place_code,
             count(*)::int AS contacts, sum(f.minutes)::int AS minutes, sum(f.cost_pence)::int AS cost_pence,
             count(f.cost_pence)::int AS costed_contacts, (count(*) FILTER (WHERE f.is_repeat))::int AS repeat_contacts
      FROM analytics_contact_facts f
      ${scope}
      GROUP BY f.organisation_id, f.service_id, f.person_key, f.month_index
    )
    INSERT INTO analytics_service_periods
    SELECT organisation_id, service_id,
           (SELECT s.project_id FROM services s WHERE s.organisation_id = totals.organisation_id AND s.id = totals.service_id),
           place_code, grain, ${start}, ${end},
           contacts, people, minutes, ${pounds(sql`cost_pence`)}, costed_contacts, repeat_contacts, ${sql.lit(runId)}::bigint
    FROM (
      SELECT organisation_id, service_id, grain, period_index, max(months) AS months, max(place_code) AS place_code,
             sum(contacts) AS contacts, count(*) AS people, sum(minutes) AS minutes, sum(cost_pence) AS cost_pence,
             sum(costed_contacts) AS costed_contacts, sum(repeat_contacts) AS repeat_contacts
      FROM (${perGrain('per_month', keys, sums, sql`
        SELECT ${sql.raw(keys)}, 'month' AS grain, month_index AS period_index, 1 AS months, place_code, contacts, minutes,
               cost_pence, costed_contacts, repeat_contacts
        FROM per_month`)}) per_person
      ${keep}
      GROUP BY organisation_id, service_id, grain, period_index
    ) totals`;
}

/**
 * A place's period has two sides: the contacts that happened in it (people, needs met,
 * services involved), and the needs resolved in it, each counted over all its contacts
 * wherever and whenever they happened. Services are counted from the service periods, so
 * those are built first.
 */
export function insertPlacePeriods(runId: number, parts: string | null): RawBuilder<unknown> {
  const scope = (alias: string, month: string) => parts === null
    ? sql``
    : sql`AND EXISTS (SELECT 1 FROM ${sql.table(parts)} p WHERE p.grain = 'year'
          AND p.place_code = ${sql.ref(`${alias}.place_code`)}
          AND ${sql.ref(`${alias}.${month}`)} BETWEEN p.period_index * 12 AND p.period_index * 12 + 11)`;
  const keep = parts === null
    ? sql``
    : sql`WHERE (place_code, grain, period_index) IN (SELECT place_code, grain, period_index FROM ${sql.table(parts)})`;
  const needSums = sql`sum(contacts)::int AS contacts, sum(minutes)::int AS minutes, sum(cost_pence)::int AS cost_pence,
    sum(costed_contacts)::int AS costed_contacts, sum(repeat_contacts)::int AS repeat_contacts`;
  const contactSide = sql`
    SELECT place_code, grain, period_index, max(months) AS months, count(*) AS people, sum(needs) AS needs,
           sum(contacts) AS contacts, sum(minutes) AS minutes, sum(cost_pence) AS cost_pence,
           sum(costed_contacts) AS costed_contacts, sum(repeat_contacts) AS repeat_contacts
    FROM (
      SELECT place_code, grain, period_index, max(months) AS months, person_key, count(*)::int AS needs, ${needSums}
      FROM (${perGrain('per_month', 'place_code, person_key, episode_id', needSums, sql`
        SELECT place_code, person_key, episode_id, 'month' AS grain, month_index AS period_index, 1 AS months,
               contacts, minutes, cost_pence, costed_contacts, repeat_contacts
        FROM per_month`)}) per_need
      GROUP BY place_code, grain, period_index, person_key
    ) per_person
    ${keep}
    GROUP BY place_code, grain, period_index`;
  const resolvedSide = sql`
    SELECT e.place_code, g.grain, e.resolved_month_index / g.months AS period_index, max(g.months) AS months,
           count(*) AS needs_resolved, sum(e.contacts) AS resolved_contacts, sum(e.minutes) AS resolved_minutes,
           sum(e.cost_pence) AS resolved_cost_pence, sum(e.costed_contacts) AS resolved_costed_contacts,
           sum(e.services) AS resolved_services
    FROM analytics_episodes e
    CROSS JOIN (VALUES ('month', 1), ('quarter', 3), ('year', 12)) AS g (grain, months)
    WHERE e.resolved ${scope('e', 'resolved_month_index')}
    GROUP BY e.place_code, g.grain, e.resolved_month_index / g.months`;
  const serviceSide = sql`
    SELECT place_code, grain, period_start, count(*) AS services
    FROM analytics_service_periods
    GROUP BY place_code, grain, period_start`;
  const { start, end } = periodDates(sql`period_index`, sql`months`);
  return sql`
    WITH per_month AS MATERIALIZED (
      SELECT f.place_code, f.month_index, f.person_key, f.episode_id, count(*)::int AS contacts, sum(f.minutes)::int AS minutes,
             sum(f.cost_pence)::int AS cost_pence, count(f.cost_pence)::int AS costed_contacts,
             (count(*) FILTER (WHERE f.is_repeat))::int AS repeat_contacts
      FROM analytics_contact_facts f
      WHERE true ${scope('f', 'month_index')}
      GROUP BY f.place_code, f.month_index, f.person_key, f.episode_id
    )
    INSERT INTO analytics_place_periods
    SELECT b.place_code, b.grain, b.period_start, b.period_end,
           coalesce(b.contacts, 0), coalesce(b.people, 0), coalesce(b.needs, 0), coalesce(s.services, 0),
           coalesce(b.minutes, 0), ${pounds(sql`b.cost_pence`)}, coalesce(b.costed_contacts, 0), coalesce(b.repeat_contacts, 0),
           coalesce(b.needs_resolved, 0), coalesce(b.resolved_contacts, 0), coalesce(b.resolved_minutes, 0),
           ${pounds(sql`b.resolved_cost_pence`)}, coalesce(b.resolved_costed_contacts, 0), coalesce(b.resolved_services, 0),
           ${sql.lit(runId)}::bigint
    FROM (
      SELECT place_code, grain, ${start} AS period_start, ${end} AS period_end, c.contacts, c.people, c.needs, c.minutes,
             c.cost_pence, c.costed_contacts, c.repeat_contacts, r.needs_resolved, r.resolved_contacts, r.resolved_minutes,
             r.resolved_cost_pence, r.resolved_costed_contacts, r.resolved_services
      FROM (${contactSide}) c
      FULL JOIN (SELECT * FROM (${resolvedSide}) r0 ${keep}) r USING (place_code, grain, period_index, months)
    ) b
    LEFT JOIN (${serviceSide}) s USING (place_code, grain, period_start)`;
}

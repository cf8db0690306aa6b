import { sql, type RawBuilder } from 'kysely';
import { grainBuckets, localTime } from './periods.ts';

/**
 * Part-system (per service) and whole-system (per place) sums over the contact facts, at
 * month, quarter and year grain. With `parts` null every partition is built; otherwise only
 * those listed in the named table (columns: the partition key, grain, period_start,
 * period_end, and the instants from_ts ≤ t < to_ts the period covers).
 */
export function insertServicePeriods(runId: number, parts: string | null): RawBuilder<unknown> {
  const sums = sql`
    count(*), count(DISTINCT f.person_ref), sum(f.minutes), sum(f.cost_gbp), count(f.cost_gbp),
    count(*) FILTER (WHERE f.is_repeat), ${sql.lit(runId)}::bigint`;
  if (parts === null) {
    return sql`
      INSERT INTO analytics_service_periods
      SELECT f.organisation_id, f.service_id, max(f.place_code), g.grain, g.start::date,
             (g.start + g.len - interval '1 day')::date, ${sums}
      FROM analytics_contact_facts f
      CROSS JOIN LATERAL ${grainBuckets(localTime('f.occurred_at'))} AS g (grain, start, len)
      GROUP BY f.organisation_id, f.service_id, g.grain, g.start, g.len`;
  }
  return sql`
    INSERT INTO analytics_service_periods
    SELECT p.organisation_id, p.service_id, max(f.place_code), p.grain, p.period_start, p.period_end, ${sums}
    FROM ${sql.table(parts)} p
    JOIN analytics_contact_facts f
      ON f.service_id = p.service_id AND f.organisation_id = p.organisation_id
     AND f.occurred_at >= p.from_ts AND f.occurred_at < p.to_ts
    GROUP BY p.organisation_id, p.service_id, p.grain, p.period_start, p.period_end`;
}

/**
 * A place's period has two sides: the contacts that happened in it, and the needs resolved in
 * it, each counted over all its contacts wherever and whenever they happened.
 */
export function insertPlacePeriods(runId: number, parts: string | null): RawBuilder<unknown> {
  const contactSums = sql`
    count(*) AS contacts, count(DISTINCT f.person_ref) AS people, count(DISTINCT f.episode_id) AS needs,
    count(DISTINCT f.service_id) AS services, sum(f.minutes) AS minutes, sum(f.cost_gbp) AS cost_gbp,
    count(f.cost_gbp) AS costed_contacts, count(*) FILTER (WHERE f.is_repeat) AS repeat_contacts`;
  const resolvedSums = sql`
    count(*) AS needs_resolved, sum(e.contacts) AS resolved_contacts, sum(e.minutes) AS resolved_minutes,
    sum(e.cost_gbp) AS resolved_cost_gbp, sum(e.costed_contacts) AS resolved_costed_contacts,
    sum(e.services) AS resolved_services`;
  const contactSide = parts === null
    ? sql`
      SELECT f.place_code, g.grain, g.start::date AS period_start, (g.start + g.len - interval '1 day')::date AS period_end, ${contactSums}
      FROM analytics_contact_facts f
      CROSS JOIN LATERAL ${grainBuckets(localTime('f.occurred_at'))} AS g (grain, start, len)
      GROUP BY f.place_code, g.grain, g.start, g.len`
    : sql`
      SELECT p.place_code, p.grain, p.period_start, p.period_end, ${contactSums}
      FROM ${sql.table(parts)} p
      JOIN analytics_contact_facts f ON f.place_code = p.place_code AND f.occurred_at >= p.from_ts AND f.occurred_at < p.to_ts
      GROUP BY p.place_code, p.grain, p.period_start, p.period_end`;
  const resolvedSide = parts === null
    ? sql`
      SELECT e.place_code, g.grain, g.start::date AS period_start, (g.start + g.len - interval '1 day')::date AS period_end, ${resolvedSums}
      FROM analytics_episodes e
      CROSS JOIN LATERAL ${grainBuckets(localTime('e.ended_at'))} AS g (grain, start, len)
      WHERE e.resolved
      GROUP BY e.place_code, g.grain, g.start, g.len`
    : sql`
      SELECT p.place_code, p.grain, p.period_start, p.period_end, ${resolvedSums}
      FROM ${sql.table(parts)} p
      JOIN analytics_episodes e ON e.resolved AND e.place_code = p.place_code AND e.ended_at >= p.from_ts AND e.ended_at < p.to_ts
      GROUP BY p.place_code, p.grain, p.period_start, p.period_end`;
  return sql`
    INSERT INTO analytics_place_periods
    SELECT place_code, grain, period_start, period_end,
           coalesce(c.contacts, 0), coalesce(c.people, 0), coalesce(c.needs, 0), coalesce(c.services, 0),
           coalesce(c.minutes, 0), c.cost_gbp, coalesce(c.costed_contacts, 0), coalesce(c.repeat_contacts, 0),
           coalesce(r.needs_resolved, 0), coalesce(r.resolved_contacts, 0), coalesce(r.resolved_minutes, 0),
           r.resolved_cost_gbp, coalesce(r.resolved_costed_contacts, 0), coalesce(r.resolved_services, 0),
           ${sql.lit(runId)}::bigint
    FROM (${contactSide}) c
    FULL JOIN (${resolvedSide}) r USING (place_code, grain, period_start, period_end)`;
}

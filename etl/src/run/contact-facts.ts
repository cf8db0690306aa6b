import { sql, type RawBuilder } from 'kysely';

/** Columns of analytics_contact_facts, in table order, so that EXCEPT and INSERT line up. */
export const factColumns = sql.raw(
  'contact_id, organisation_id, service_id, place_code, person_ref, occurred_at, minutes, cost_gbp, resolves, episode_id, is_repeat',
);

/**
 * Every contact with its episode, in SQL where the data is (the oracle in
 * measures/episodes.ts says the same in TypeScript, and a test holds them together).
 * A person's contacts, per need_ref when given (all contacts without one form one line),
 * in time order: a contact starts an episode when it is the first, when the one before it
 * resolved the need, or, without a need_ref, when more than `gapDays` passed since the one
 * before. The episode's id is its first contact's id; every later contact is a repeat.
 *
 * `people`: a table of person_ref to limit the work to, or null for everyone.
 */
export function contactFactsQuery(gapDays: number, people: string | null): RawBuilder<unknown> {
  const only = people === null ? sql`` : sql`WHERE c.person_ref IN (SELECT person_ref FROM ${sql.table(people)})`;
  return sql`
    SELECT id AS contact_id, organisation_id, service_id, place_code, person_ref, occurred_at, minutes, cost_gbp,
           resolves,
           first_value(id) OVER (PARTITION BY person_ref, need_ref, episode_no ORDER BY occurred_at, id) AS episode_id,
           NOT starts AS is_repeat
    FROM (
      SELECT *, count(*) FILTER (WHERE starts) OVER (PARTITION BY person_ref, need_ref ORDER BY occurred_at, id) AS episode_no
      FROM (
        SELECT c.id, c.organisation_id, c.service_id, s.place_code, c.person_ref, c.need_ref, c.occurred_at, c.minutes,
               coalesce(c.cost_gbp, s.unit_cost_gbp_per_contact) AS cost_gbp,
               c.outcome = 'resolved' AS resolves,
               coalesce(
                 lag(c.outcome) OVER w = 'resolved'
                 OR (c.need_ref IS NULL AND c.occurred_at - lag(c.occurred_at) OVER w > ${sql.lit(gapDays)} * interval '1 day'),
                 true) AS starts
        FROM contacts c
        JOIN services s ON s.organisation_id = c.organisation_id AND s.id = c.service_id
        ${only}
        WINDOW w AS (PARTITION BY c.person_ref, c.need_ref ORDER BY c.occurred_at, c.id)
      ) marked
    ) numbered
  `;
}

/**
 * Episodes summed from the facts. Only the last contact of an episode can resolve it, so an
 * episode is resolved when any of its contacts is; its place is that of its last contact.
 */
export function episodesQuery(people: string | null): RawBuilder<unknown> {
  const only = people === null ? sql`` : sql`WHERE f.person_ref IN (SELECT person_ref FROM ${sql.table(people)})`;
  return sql`
    SELECT episode_id, min(person_ref) AS person_ref,
           (array_agg(place_code ORDER BY occurred_at DESC, contact_id DESC))[1] AS place_code,
           min(occurred_at) AS started_at, max(occurred_at) AS ended_at, bool_or(resolves) AS resolved,
           count(*)::int AS contacts, sum(minutes)::bigint AS minutes, sum(cost_gbp) AS cost_gbp,
           count(cost_gbp)::int AS costed_contacts, count(DISTINCT service_id)::int AS services
    FROM analytics_contact_facts f
    ${only}
    GROUP BY episode_id
  `;
}

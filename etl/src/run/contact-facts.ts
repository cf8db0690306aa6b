import { sql, type RawBuilder } from 'kysely';
import { monthIndexOf } from './periods.ts';

/** Columns of analytics_contact_facts, in table order, so that EXCEPT and INSERT line up. */
export const factColumns = sql.raw(
  'contact_id, organisation_id, service_id, place_code, person_ref, person_key, occurred_at, month_index, minutes, cost_pence, resolves, episode_id, is_repeat',
);

/** The 64-bit key a person_ref is counted by (see the analytics migration on its odds). */
export function personKey(column: string): RawBuilder<number> {
  return sql<number>`hashtextextended(${sql.ref(column)}, 0)`;
}

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
  // For a few people, one index probe each (OFFSET 0 keeps PostgreSQL from turning the
  // lateral lookup into a hash join over every contact).
  const contacts = people === null
    ? sql`contacts c`
    : sql`${sql.table(people)} p CROSS JOIN LATERAL (SELECT * FROM contacts WHERE person_ref = p.person_ref OFFSET 0) c`;
  // Three window levels over one ordering, so PostgreSQL sorts once: mark the starts, carry
  // the row number of the latest start forward (a running max of an increasing number), then
  // read that row's id with nth_value.
  return sql`
    SELECT id AS contact_id, organisation_id, service_id, place_code, person_ref, ${personKey('person_ref')} AS person_key,
           occurred_at, ${monthIndexOf('occurred_at')} AS month_index, minutes, cost_pence, resolves,
           nth_value(id, start_row::int) OVER w AS episode_id,
           NOT starts AS is_repeat
    FROM (
      SELECT *, max(CASE WHEN starts THEN row_in_line END) OVER w AS start_row
      FROM (
        SELECT c.id, c.organisation_id, c.service_id, s.place_code, c.person_ref, c.need_ref, c.occurred_at, c.minutes,
               (coalesce(c.cost_gbp, s.unit_cost_gbp_per_contact) * 100)::bigint AS cost_pence,
               c.outcome = 'resolved' AS resolves,
               row_number() OVER w AS row_in_line,
               coalesce(
                 lag(c.outcome) OVER w = 'resolved'
                 OR (c.need_ref IS NULL AND c.occurred_at - lag(c.occurred_at) OVER w > ${sql.lit(gapDays)} * interval '1 day'),
                 true) AS starts
        FROM ${contacts}
        JOIN services s ON s.organisation_id = c.organisation_id AND s.id = c.service_id
        WINDOW w AS (PARTITION BY c.person_ref, c.need_ref ORDER BY c.occurred_at, c.id)
      ) marked
      WINDOW w AS (PARTITION BY person_ref, need_ref ORDER BY occurred_at, id)
    ) numbered
    WINDOW w AS (PARTITION BY person_ref, need_ref ORDER BY occurred_at, id)
  `;
}

/**
 * Episodes summed from the facts. Only the last contact of an episode can resolve it, so an
 * episode is resolved when any of its contacts is, and that contact gives its place and month.
 * Two levels of grouping (by episode and service, then by episode) count the distinct services
 * with hashing rather than a sort of every contact.
 *
 * `people`: a table of person_key to limit the work to, or null for everyone.
 */
export function episodesQuery(people: string | null): RawBuilder<unknown> {
  const facts = people === null
    ? sql`analytics_contact_facts f`
    : sql`(SELECT DISTINCT person_key FROM ${sql.table(people)}) p
        CROSS JOIN LATERAL (SELECT * FROM analytics_contact_facts WHERE person_key = p.person_key OFFSET 0) f`;
  return sql`
    SELECT episode_id, min(person_key) AS person_key, min(started_at) AS started_at, max(ended_at) AS ended_at,
           bool_or(resolves) AS resolved, max(place_code) AS place_code, max(resolved_month_index) AS resolved_month_index,
           sum(contacts)::int AS contacts, sum(minutes)::bigint AS minutes, sum(cost_pence)::bigint AS cost_pence,
           sum(costed_contacts)::int AS costed_contacts, count(*)::int AS services
    FROM (
      SELECT f.episode_id, f.service_id, min(f.person_key) AS person_key, min(f.occurred_at) AS started_at,
             max(f.occurred_at) AS ended_at, bool_or(f.resolves) AS resolves,
             max(f.place_code) FILTER (WHERE f.resolves) AS place_code,
             max(f.month_index) FILTER (WHERE f.resolves) AS resolved_month_index,
             count(*) AS contacts, sum(f.minutes) AS minutes, sum(f.cost_pence) AS cost_pence, count(f.cost_pence) AS costed_contacts
      FROM ${facts}
      GROUP BY f.episode_id, f.service_id
    ) by_service
    GROUP BY episode_id
  `;
}

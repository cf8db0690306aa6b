import { sql, type RawBuilder } from 'kysely';

/**
 * Contacts are instants; the periods people report in are UK calendar months, quarters and
 * years. Every bucket is cut in this zone so that a conversation at 00:30 on 1 April BST
 * belongs to April, as it did to the person who had it.
 */
export const LOCAL_TIME_ZONE = 'Europe/London';

/** The grains as a VALUES list, to cross-join with a local timestamp column: one row per grain. */
export function grainBuckets(localTimestamp: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`(VALUES
    ('month', date_trunc('month', ${localTimestamp}), interval '1 month'),
    ('quarter', date_trunc('quarter', ${localTimestamp}), interval '3 months'),
    ('year', date_trunc('year', ${localTimestamp}), interval '1 year'))`;
}

/** `column AT TIME ZONE 'Europe/London'`: the local wall-clock time of an instant. */
export function localTime(column: string): RawBuilder<unknown> {
  return sql`(${sql.ref(column)} AT TIME ZONE ${sql.lit(LOCAL_TIME_ZONE)})`;
}

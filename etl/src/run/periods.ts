import { sql, type RawBuilder } from 'kysely';

/**
 * Contacts are instants; the periods people report in are UK calendar months, quarters and
 * years. Every instant is placed in its month in this zone once, when its fact is written,
 * so that a conversation at 00:30 on 1 April BST belongs to April, as it did to the person
 * who had it. A month is held as an index (year × 12 + month − 1), so its quarter is
 * index ÷ 3 and its year index ÷ 12, in integers.
 */
export const LOCAL_TIME_ZONE = 'Europe/London';

/** The month index of an instant column, in UK time. */
export function monthIndexOf(column: string): RawBuilder<number> {
  const local = sql`(${sql.ref(column)} AT TIME ZONE ${sql.lit(LOCAL_TIME_ZONE)})`;
  return sql<number>`(extract(year FROM ${local})::int * 12 + extract(month FROM ${local})::int - 1)`;
}

/** The grains as (grain, months per period): a period's index is month_index ÷ months. */
export const grainMonths = sql`(VALUES ('month', 1), ('quarter', 3), ('year', 12)) AS g (grain, months)`;

/** First and last day of the period with index `period` of a grain of `months` months. */
export function periodDates(period: RawBuilder<unknown>, months: RawBuilder<unknown>): { start: RawBuilder<string>; end: RawBuilder<string> } {
  const first = sql`(${period} * ${months})`;
  const start = sql<string>`make_date(${first} / 12, ${first} % 12 + 1, 1)`;
  return { start, end: sql<string>`(${start} + make_interval(months => ${months}) - interval '1 day')::date` };
}

/** The month index of a date (the first of a month). */
export function monthIndexOfDate(column: RawBuilder<unknown>): RawBuilder<number> {
  return sql<number>`(extract(year FROM ${column})::int * 12 + extract(month FROM ${column})::int - 1)`;
}

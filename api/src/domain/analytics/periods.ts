import type { Grain } from '@firstmile/schema';

/** An inclusive calendar period, as ISO dates. */
export interface Period {
  start: string;
  end: string;
}

const iso = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d)).toISOString().slice(0, 10);

/** The calendar month, quarter or year holding `date`. */
export function calendarBucket(date: string, grain: Grain): Period {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - 1;
  const first = grain === 'month' ? m : grain === 'quarter' ? m - (m % 3) : 0;
  const months = grain === 'month' ? 1 : grain === 'quarter' ? 3 : 12;
  // Day 0 of the following month is the last day of this one.
  return { start: iso(y, first, 1), end: iso(y, first + months, 0) };
}

/**
 * The period a snapshot's figures are rolled up into: the bucket holding its start. A snapshot
 * that runs past that bucket (a quarter at month grain, or a month from the 15th) keeps its own
 * period rather than being cut or stretched: its figures cannot be split between buckets.
 */
export function rollupPeriod(period: Period, grain: Grain): Period & { exceeds: boolean } {
  const bucket = calendarBucket(period.start, grain);
  if (period.end > bucket.end) return { ...period, exceeds: true };
  return { ...bucket, exceeds: false };
}

/** First day of the year holding `date`, and last day of the year holding `date`. */
export const yearStart = (date: string) => `${date.slice(0, 4)}-01-01`;
export const yearEnd = (date: string) => `${date.slice(0, 4)}-12-31`;

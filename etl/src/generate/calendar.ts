/** Calendar arithmetic on ISO dates (YYYY-MM-DD), all in UTC so no time zone moves a day. */

export const DAY_MS = 86_400_000;
export const MINUTE_MS = 60_000;

export interface Period {
  /** Inclusive, YYYY-MM-DD. */
  start: string;
  /** Inclusive, YYYY-MM-DD. */
  end: string;
}

const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Midnight UTC of an ISO date, refusing dates that do not exist (2025-02-30). */
export function dateToMs(iso: string): number {
  const match = isoDatePattern.exec(iso);
  if (!match) throw new RangeError(`not an ISO date (YYYY-MM-DD): ${iso}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  if (msToDate(ms) !== iso) throw new RangeError(`no such date: ${iso}`);
  return ms;
}

export function msToDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(iso: string, days: number): string {
  return msToDate(dateToMs(iso) + days * DAY_MS);
}

/** Only for first-of-month dates, where adding months is never ambiguous. */
export function addMonths(iso: string, months: number): string {
  const ms = dateToMs(iso);
  const d = new Date(ms);
  if (d.getUTCDate() !== 1) throw new RangeError(`addMonths needs the first of a month, not ${iso}`);
  return msToDate(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
}

/** `count` consecutive three-month periods, the first starting on `firstQuarter`. */
export function quarterPeriods(firstQuarter: string, count: number): Period[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`quarters must be a whole number from 1, not ${count}`);
  return Array.from({ length: count }, (_, i) => {
    const start = addMonths(firstQuarter, 3 * i);
    return { start, end: addDays(addMonths(start, 3), -1) };
  });
}

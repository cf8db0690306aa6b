// Building blocks shared by every API contract. Each mirrors a database CHECK so that a bad
// value is a 422 naming its field, never a database error.
//
// Two choices hold throughout:
// - Lengths are JavaScript string lengths (UTF-16 code units), the unit zod and the generated
//   OpenAPI `maxLength` use. Postgres counts code points, so a limit here is never looser than
//   the database's; text outside the Basic Multilingual Plane (emoji) reaches it sooner.
// - Negative zero (JSON `-0`) is accepted and normalised to 0. `-0 >= 0` holds, so it would pass
//   every bound anyway, and normalising keeps it from surviving into double-precision columns,
//   hashes or Object.is comparisons.
import { z } from 'zod';

/** Free text must fit Postgres `text` (no NUL) and UTF-8 (no unpaired surrogates). */
const LONE_SURROGATE = /\p{Cs}/u;

export function isStorableText(value: string): boolean {
  return !value.includes('\u0000') && !LONE_SURROGATE.test(value);
}

const STORABLE_MESSAGE = 'must not contain NUL characters or unpaired UTF-16 surrogates';

export interface TextOptions {
  /** Shortest length allowed; 1 unless an empty string is meaningful. */
  readonly min?: number;
  readonly max: number;
  /**
   * Trim surrounding whitespace before checking the length (true by default), as the SQL
   * checks measure `btrim(x)`. Opaque identifiers pass `false`: they are kept byte for byte.
   */
  readonly trim?: boolean;
}

/**
 * Free text: trimmed (unless told otherwise), bounded, and storable. The length check aborts
 * further checks so a 10 MB string is rejected without being scanned.
 */
export function text({ min = 1, max, trim = true }: TextOptions): z.ZodString {
  const base = trim ? z.string().trim() : z.string();
  const bounded = min > 0
    ? base.min(min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`)
    : base;
  return bounded
    .max(max, { message: `must be at most ${max} characters`, abort: true })
    .refine(isStorableText, STORABLE_MESSAGE);
}

/** A display name: organisations, projects, services, places. */
export const Name = text({ max: 200 }).describe('A name, 1–200 characters after trimming.');

/** An area code such as an ONS local authority code; free text is allowed. */
export const PlaceCode = text({ max: 64 }).describe(
  'An area code, e.g. an ONS local authority code such as "E08000003"; 1–64 characters.',
);

/** Any 8-4-4-4-12 hex UUID, as the uuid column takes; not only RFC 9562 versions, so fixture ids such as …-000000000001 pass. */
export const Uuid = z.guid('must be a UUID').describe('A UUID.');

export const METRIC_KEY_PATTERN = /^[a-z][a-z0-9_]{1,62}$/;
export const MetricKey = z
  .string()
  .regex(METRIC_KEY_PATTERN, 'must be 2–63 characters of a–z, 0–9 and _, starting with a letter')
  .describe('A metric key from the catalogue, e.g. "reoffending_12m".');

export const THEME_PATTERN = /^[a-z][a-z0-9_-]{0,39}$/;
export const ThemeSlug = z
  .string()
  .regex(THEME_PATTERN, 'must be 1–40 characters of a–z, 0–9, _ and -, starting with a letter')
  .describe('A story theme tag, e.g. "continuity", "trust", "belonging".');

// Calendar dates and timestamps -------------------------------------------------------------

export const MIN_DATE = '1900-01-01';
export const MAX_DATE = '2200-12-31';

/**
 * A real calendar date (zod's pattern knows month lengths and leap years) within the years
 * the database accepts. ISO dates of equal width compare correctly as strings.
 */
export const IsoDateString = z.iso
  .date('must be a real calendar date written YYYY-MM-DD')
  .refine((d) => d >= MIN_DATE && d <= MAX_DATE, 'must lie between 1900-01-01 and 2200-12-31')
  .describe('A calendar date, YYYY-MM-DD, between 1900-01-01 and 2200-12-31.');

/**
 * The contacts table checks `occurred_at BETWEEN '1900-01-01' AND '2200-12-31'`, midnights in
 * the database session's time zone, which may be anything from UTC−12 to UTC+14. These bounds
 * sit inside that window in every zone, so the database can never be the one to refuse.
 */
export const MIN_TIMESTAMP = '1900-01-02T00:00:00Z';
export const MAX_TIMESTAMP = '2200-12-30T00:00:00Z';
const MIN_TIMESTAMP_MS = Date.parse(MIN_TIMESTAMP);
const MAX_TIMESTAMP_MS = Date.parse(MAX_TIMESTAMP);

/** An RFC 3339 timestamp that says its offset (Z or ±hh:mm); a local time is ambiguous. */
export const TimestampString = z.iso
  .datetime({ offset: true, message: 'must be an ISO 8601 timestamp with seconds and an offset, e.g. 2026-03-01T09:30:00Z' })
  .refine((t) => {
    const ms = Date.parse(t);
    return ms >= MIN_TIMESTAMP_MS && ms <= MAX_TIMESTAMP_MS;
  }, 'must lie between 1900-01-02T00:00:00Z and 2200-12-30T00:00:00Z')
  .describe('An ISO 8601 timestamp with an offset, e.g. "2026-03-01T09:30:00+00:00".');

// Numbers ------------------------------------------------------------------------------------

const withoutNegativeZero = (n: number): number => (n === 0 ? 0 : n);

/** Any finite number (zod already refuses NaN and ±Infinity, which JSON's 1e999 becomes). */
export const FiniteNumber = z
  .number('must be a finite number')
  .overwrite(withoutNegativeZero)
  .describe('A finite number.');

/**
 * Messages for zod's integer type, whose own checks (type, safe range) share one error setting.
 * Received non-numbers and non-finite numbers keep a type message; the range names its limit.
 */
function wholeNumberError(issue: z.core.$ZodRawIssue): string {
  if (issue.code === 'too_big') return `must be at most ${Number.MAX_SAFE_INTEGER}`;
  if (issue.code === 'too_small') return 'must not be negative';
  return 'must be a whole number';
}

/** A count: a whole number from 0 to 2^53 − 1, exact in JavaScript and in a bigint column. */
export const Count = z
  .int({ error: wholeNumberError })
  .overwrite(withoutNegativeZero)
  .min(0, 'must not be negative')
  .describe('A whole number, 0 or more.');

/** Minutes spent in one contact: a whole number within one day. */
export const Minutes = z
  .int({ error: wholeNumberError })
  .overwrite(withoutNegativeZero)
  .min(0, 'must not be negative')
  .max(1440, 'must be at most 1440 (one day)')
  .describe('Whole minutes, 0–1440.');

/**
 * True when a number has at most two decimal places. Scaling by 100 and rounding finds the
 * nearest whole number of pence; dividing back gives the same double exactly when the input
 * was a whole number of pence (division is correctly rounded), and a different one otherwise.
 */
export function hasAtMostTwoDecimals(n: number): boolean {
  return Math.round(n * 100) / 100 === n;
}

/**
 * Pounds sterling, non-negative, whole pence, and small enough for `numeric(precision, 2)`.
 * Zod's own multipleOf(0.01) is not used: it reads the decimal places from `toString`, which
 * lets 1e-7 through.
 */
export function moneyGbp(precision: 12 | 14): z.ZodNumber {
  const max = Number(`${'9'.repeat(precision - 2)}.99`);
  return z
    .number('must be a finite number')
    .overwrite(withoutNegativeZero)
    .min(0, 'must not be negative')
    .max(max, `must be at most ${max.toFixed(2)}`)
    .refine(hasAtMostTwoDecimals, 'must have at most 2 decimal places (whole pence)');
}

// Objects and arrays ---------------------------------------------------------------------------

/** Path parameters of `/{id}` routes. */
export const IdParams = z.strictObject({ id: Uuid });
export type IdParams = z.infer<typeof IdParams>;

/** Path parameters of `/v1/projects/{projectId}/…` routes. */
export const ProjectIdParams = z.strictObject({ projectId: Uuid });
export type ProjectIdParams = z.infer<typeof ProjectIdParams>;

/** Archiving replaces deleting: PATCH `{ "archived": true }` archives, `false` restores. */
export const Archived = z.boolean().describe('true archives the record, false restores it; nothing is ever deleted.');

/** Timestamp columns every mutable record carries, in responses. */
export const lifecycleFields = {
  created_at: TimestampString,
  archived_at: TimestampString.nullable().describe('When it was archived; null while active.'),
};

/**
 * A PATCH body: every field optional, at least one given. The refinement is added last
 * because zod refuses `.extend`/`.partial` on objects that already carry refinements.
 */
export function atLeastOneField<T extends z.ZodObject>(schema: T): T {
  return schema
    .refine((value: Record<string, unknown>) => Object.values(value).some((v) => v !== undefined), {
      message: 'give at least one field to change',
    })
    .meta({ minProperties: 1 });
}

/**
 * An array with no repeated item; the error points at the repeat and names the first one.
 * `keyOf` decides what counts as the same item (plain equality by default).
 */
export function uniqueArray<T extends z.ZodType>(
  item: T,
  max: number,
  what: string,
  keyOf: (value: z.output<T>) => unknown = (value) => value,
): z.ZodArray<T> {
  return z
    .array(item)
    .max(max, `must hold at most ${max} ${what}`)
    .superRefine((items, ctx) => {
      const seen = new Map<unknown, number>();
      items.forEach((value, index) => {
        const key = keyOf(value);
        const first = seen.get(key);
        if (first === undefined) seen.set(key, index);
        else ctx.addIssue({ code: 'custom', path: [index], message: `repeats item [${first}]` });
      });
    });
}

/** Adds an issue at `path` when both ends of a range are given and the end comes first. */
export function checkOrder(
  ctx: z.RefinementCtx,
  start: string | null | undefined,
  end: string | null | undefined,
  path: PropertyKey[],
  message: string,
): void {
  if (typeof start === 'string' && typeof end === 'string' && start > end) {
    ctx.addIssue({ code: 'custom', path, message });
  }
}

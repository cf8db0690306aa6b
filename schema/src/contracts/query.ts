// Query strings of the list endpoints. Every value arrives as a string; each filter here is a
// string format (UUID, date, slug, place code), so nothing is coerced: zod's coercion would
// turn `?x=` into 0 and a repeated parameter into "a,b". A repeated parameter (an array from
// the router) is refused with its name. Unknown parameters are refused too, so a misspelt
// filter is an error rather than silently ignored.
import { z } from 'zod';
import {
  IsoDateString, MAX_DATE, METRIC_KEY_PATTERN, MIN_DATE, MetricKey, PlaceCode, ThemeSlug, Uuid, checkOrder,
} from './common.ts';

export const grains = ['month', 'quarter', 'year'] as const;
export type Grain = (typeof grains)[number];
export const GrainEnum = z.enum(grains).describe('The period rows are rolled up to.');

export const outcomeGroupings = ['project', 'portfolio', 'place'] as const;
export type OutcomeGrouping = (typeof outcomeGroupings)[number];
export const systemLevels = ['service', 'place'] as const;
export type SystemLevel = (typeof systemLevels)[number];
export const discountings = ['green_book', 'sroi'] as const;

// Numbers in a query string: a plain decimal, checked as text first and only then read as a
// number, so "", " 1", "1e0", "0x1", "-0" and "Infinity" are refused rather than coerced.
const DECIMAL = /^[0-9]{1,6}(\.[0-9]{1,12})?$/;
const share = (what: string) =>
  z.string()
    .regex(DECIMAL, 'must be a number from 0 to 1 written as a plain decimal, e.g. 0.25')
    .pipe(z.coerce.number<string>().max(1, 'must be at most 1'))
    .describe(what);

/** The preventative-benefit assumptions (SROI guide; HM Treasury Green Book discounting). */
const benefitParameters = {
  deadweight: share('Share of the outcome that would have happened anyway, 0–1 (default 0).').optional(),
  displacement: share('Share of the outcome that only moved a problem elsewhere, 0–1 (default 0).').optional(),
  attribution: share('Share of the outcome owed to others, 0–1 (default 0).').optional(),
  drop_off: share("Share of each year's benefit lost by the next, 0–1 (default 0).").optional(),
  years: z.string()
    .regex(/^[0-9]{1,3}$/, 'must be a whole number from 1 to 50')
    .pipe(z.coerce.number<string>().int().min(1, 'must be a whole number from 1 to 50').max(50, 'must be a whole number from 1 to 50'))
    .optional()
    .describe('Years the benefit lasts, a whole number 1–50 (default 1).'),
  discount_rate: share('Annual discount rate, 0–1 (default 0.035, the Green Book rate).').optional(),
  discounting: z.enum(discountings).optional().describe(
    'green_book (default): year t = 0…years−1, the first year undiscounted; sroi: t = 1…years, every year discounted.',
  ),
};

const From = IsoDateString.optional().describe('Only periods ending on or after this date.');
const To = IsoDateString.optional().describe('Only periods starting on or before this date.');
const ORDER_MESSAGE = 'must not be before from';

/** `GET /v1/outcomes` */
export const OutcomesQuery = z
  .strictObject({
    project: Uuid.optional().describe('A project id.'),
    funder: Uuid.optional().describe('A funder organisation id: its funded projects, for the funded dates.'),
    place: PlaceCode.optional(),
    metric: MetricKey.optional(),
    from: From,
    to: To,
    grain: GrainEnum.optional().describe(
      'The period rows are rolled up to (default month): a snapshot period goes to the calendar month, quarter or year holding its start.',
    ),
    group_by: z.enum(outcomeGroupings).optional().describe(
      'project (default): a row per project; portfolio: all projects in view together (the funder\'s, with funder=); place: a row per place.',
    ),
    ...benefitParameters,
  })
  .superRefine((q, ctx) => checkOrder(ctx, q.from, q.to, ['to'], ORDER_MESSAGE));
export type OutcomesQuery = z.infer<typeof OutcomesQuery>;

// Required parameters say so when missing, rather than "must be a UUID" about nothing.
const missingOr = (message: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : message);
const RequiredDate = z.iso
  .date({ error: missingOr('must be a real calendar date written YYYY-MM-DD') })
  .refine((d) => d >= MIN_DATE && d <= MAX_DATE, 'must lie between 1900-01-01 and 2200-12-31');

/** `GET /v1/outcomes/did` */
export const DidQuery = z
  .strictObject({
    project: z.guid({ error: missingOr('must be a UUID') }).describe('A project id.'),
    metric: z.string({ error: missingOr('must be a string') })
      .regex(METRIC_KEY_PATTERN, 'must be 2–63 characters of a–z, 0–9 and _, starting with a letter')
      .describe('A metric key with a baseline comparator, e.g. "non_elective_admissions".'),
    a: RequiredDate.describe('period_start of the earlier period (the baseline).'),
    b: RequiredDate.describe('period_start of the later period.'),
  })
  .superRefine((q, ctx) => {
    if (typeof q.a === 'string' && typeof q.b === 'string' && q.b <= q.a) {
      ctx.addIssue({ code: 'custom', path: ['b'], message: 'must be after a' });
    }
  });
export type DidQuery = z.infer<typeof DidQuery>;

/** `GET /v1/system` */
export const SystemQuery = z
  .strictObject({
    place: PlaceCode.optional(),
    service: Uuid.optional().describe('A service id.'),
    from: From,
    to: To,
    grain: GrainEnum.optional().describe('The period rows cover (default month): calendar months, quarters or years, UK time.'),
    level: z.enum(systemLevels).optional().describe(
      'service: part-system efficiency; place: whole-system effectiveness. Default: place when place= is given without service=, otherwise both, told apart by each row\'s level.',
    ),
  })
  .superRefine((q, ctx) => {
    checkOrder(ctx, q.from, q.to, ['to'], ORDER_MESSAGE);
    if (q.level === 'place' && q.service !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['service'], message: 'filters service rows; it cannot be used with level=place' });
    }
  });
export type SystemQuery = z.infer<typeof SystemQuery>;

/** `GET /v1/stories` */
export const StoriesQuery = z.strictObject({
  project: Uuid.optional().describe('A project id.'),
  metric: MetricKey.optional().describe('Stories linked to this metric.'),
  theme: ThemeSlug.optional().describe('Stories tagged with this theme.'),
});
export type StoriesQuery = z.infer<typeof StoriesQuery>;

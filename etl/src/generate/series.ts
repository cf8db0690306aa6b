import type { ComparatorKind } from '@firstmile/schema';
import { addDays, addMonths, type Period } from './calendar.ts';
import type { Random } from './random.ts';

/** One observation before it belongs to a snapshot. */
export interface ObservationDraft {
  metricKey: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  comparator: ComparatorDraft | null;
  disaggregation: Record<string, string>;
}

export interface ComparatorDraft {
  value: number;
  kind: ComparatorKind;
  source: string;
  period: Period | null;
}

export interface SeriesContext {
  periods: readonly Period[];
  random: Random;
}

/** A project's observations, one list per period. */
export type ProjectSeries = (context: SeriesContext) => ObservationDraft[][];

/** Every comparator says it is made up: no reader should mistake it for a published figure. */
const demo = (what: string) => `${what} (illustrative demo data)`;

export function count(metricKey: string, value: number, comparator: ComparatorDraft | null = null): ObservationDraft {
  return { metricKey, value, numerator: null, denominator: null, comparator, disaggregation: {} };
}

export function proportion(
  metricKey: string, numerator: number, denominator: number,
  comparator: ComparatorDraft | null = null, disaggregation: Record<string, string> = {},
): ObservationDraft {
  if (numerator > denominator) throw new RangeError(`${metricKey}: ${numerator} of ${denominator}`);
  // The database derives the value from numerator and denominator.
  return { metricKey, value: null, numerator, denominator, comparator, disaggregation };
}

/**
 * Whole numbers in proportion to `weights` that add up to exactly `total` (largest
 * remainder), so a series can hit a yearly total to the unit.
 */
export function splitTotal(total: number, weights: readonly number[]): number[] {
  if (!Number.isInteger(total) || total < 0) throw new RangeError(`total must be a whole number, not ${total}`);
  const sum = weights.reduce((a, b) => a + b, 0);
  if (weights.length === 0 || !(sum > 0)) throw new RangeError('weights must add up to more than 0');
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left === 0) break;
    parts[i] = (parts[i] as number) + 1;
    left--;
  }
  return parts;
}

/** Numerators for the given denominators whose pooled rate is as close to `rate` as whole people allow. */
export function numeratorsAt(rate: number, denominators: readonly number[]): number[] {
  const total = denominators.reduce((a, b) => a + b, 0);
  const numerators = splitTotal(Math.round(rate * total), denominators);
  return numerators.map((n, i) => Math.min(n, denominators[i] as number));
}

function jitter(random: Random, n: number, spread: number): number[] {
  return Array.from({ length: n }, () => random.between(1 - spread, 1 + spread));
}

const ints = (random: Random, n: number, min: number, max: number) => Array.from({ length: n }, () => random.int(min, max));

/** From `from` at the first period to `to` at the last, in a straight line. */
const line = (from: number, to: number, i: number, n: number) => (n <= 1 ? from : from + ((to - from) * i) / (n - 1));

/** A published-looking cohort year well before the demo periods, for national averages. */
function nationalPeriod(periods: readonly Period[]): Period {
  const first = (periods[0] as Period).start;
  return { start: addMonths(first, -36), end: addDays(addMonths(first, -24), -1) };
}

function reoffending(
  { periods, random }: SeriesContext, rate: number, denominatorRange: [number, number], national: number, nationalLabel: string,
): ObservationDraft[] {
  const denominators = ints(random, periods.length, ...denominatorRange);
  const numerators = numeratorsAt(rate, denominators);
  const comparator: ComparatorDraft = { value: national, kind: 'national_average', source: demo(nationalLabel), period: nationalPeriod(periods) };
  return denominators.map((d, i) => proportion('reoffending_12m', numerators[i] as number, d, comparator));
}

const adultNational = 'Illustrative national average proven reoffending rate, adults released from custody';

/**
 * The years a before-and-after comparison uses: the first and the last four quarters, or
 * fewer when the window is short.
 */
export function comparisonYears(quarters: number): { length: number; first: number[]; last: number[] } {
  const length = Math.min(4, Math.floor(quarters / 2));
  const first = Array.from({ length }, (_, i) => i);
  const last = Array.from({ length }, (_, i) => quarters - length + i);
  return { length, first, last };
}

/**
 * Ashbrook's emergency admissions: down 14% from the first year to the last, while the
 * comparator area's rise 28.5% — a ratio of ratios of 0.86 / 1.285 = 0.669 (−33.1%).
 * Totals are 50k → 43k and 200m → 257m, so the ratios are exact for any quarter split.
 */
export const ashbrookAdmissions = { projectFirst: 50, projectLast: 43, comparatorFirst: 200, comparatorLast: 257 } as const;

function admissionsSeries(periods: readonly Period[], random: Random): { project: number[]; comparator: number[] } {
  const n = periods.length;
  const years = comparisonYears(n);
  const k = Math.max(1, Math.round(2.5 * years.length)); // 500 and 430 a year over four quarters
  const m = Math.max(1, Math.round(years.length / 2)); // 400 and 514
  const project = new Array<number>(n).fill(0);
  const comparator = new Array<number>(n).fill(0);
  const place = (target: number[], quarters: number[], total: number) => {
    splitTotal(total, jitter(random, quarters.length, 0.08)).forEach((v, i) => (target[quarters[i] as number] = v));
  };
  if (years.length > 0) {
    place(project, years.first, ashbrookAdmissions.projectFirst * k);
    place(project, years.last, ashbrookAdmissions.projectLast * k);
    place(comparator, years.first, ashbrookAdmissions.comparatorFirst * m);
    place(comparator, years.last, ashbrookAdmissions.comparatorLast * m);
  }
  // Quarters between the two years (longer windows) follow the trend between them.
  const perQuarter = (total: number) => total / Math.max(1, years.length);
  for (let q = years.length; q < n - years.length; q++) {
    const t = (q - years.length + 1) / (n - 2 * years.length + 1);
    project[q] = Math.round(line(perQuarter(ashbrookAdmissions.projectFirst * k), perQuarter(ashbrookAdmissions.projectLast * k), t, 2));
    comparator[q] = Math.round(line(perQuarter(ashbrookAdmissions.comparatorFirst * m), perQuarter(ashbrookAdmissions.comparatorLast * m), t, 2));
  }
  if (years.length === 0) {
    project[0] = 125;
    comparator[0] = 100;
  }
  return { project, comparator };
}

/** The quarter Hartley Homes moved to individual conversations (0-based): after 3 of 8. */
export function housingChangeQuarter(quarters: number): number {
  // A single quarter is all baseline: there is no "after" to show.
  if (quarters <= 1) return 1;
  return Math.min(quarters - 1, Math.max(1, Math.round((quarters * 3) / 8)));
}

export const projectSeries: Record<string, ProjectSeries> = {
  // A prison-leaver mentoring project far below the national average: about 8% against 49%.
  'homecoming-mentors': (ctx) => {
    const { periods, random } = ctx;
    const reoffend = reoffending(ctx, 0.08, [20, 30], 0.49, adultNational);
    const continuity = ints(random, periods.length, 150, 260);
    return periods.map((_, i) => {
      const r = reoffend[i] as ObservationDraft;
      return [
        r,
        count('people_supported', (r.denominator as number) + random.int(6, 15)),
        proportion('continuity_of_care', Math.round((continuity[i] as number) * random.between(0.85, 0.91)), continuity[i] as number,
          { value: 0.8, kind: 'target', source: demo('Project target for contacts with the same named mentor'), period: null }),
        // A team of six: a count small enough to be withheld outside the project.
        proportion('staff_retention', random.chance(0.7) ? 6 : 5, 6),
      ];
    });
  },

  // A small women's centre: small denominators, well below the national average.
  'willowgate-mentoring': (ctx) => {
    const reoffend = reoffending(ctx, 0.22, [5, 12], 0.49, adultNational);
    return ctx.periods.map((_, i) => {
      const r = reoffend[i] as ObservationDraft;
      return [r, count('people_supported', (r.denominator as number) + ctx.random.int(1, 5))];
    });
  },

  // Young people, compared with a youth average, and split by age band.
  'kestrel-youth-mentoring': (ctx) => {
    const { periods, random } = ctx;
    const reoffend = reoffending(ctx, 0.31, [15, 25], 0.38, 'Illustrative national average proven reoffending rate, young people aged 10 to 17');
    return periods.map((_, i) => {
      const r = reoffend[i] as ObservationDraft;
      const den = r.denominator as number;
      const num = r.numerator as number;
      const youngerDen = Math.round(den * random.between(0.25, 0.4));
      // Kept within both bands' denominators, so each band is a valid proportion.
      const youngerNum = Math.min(youngerDen, num, Math.max(num - (den - youngerDen), Math.round(num * random.between(0.15, 0.35))));
      return [
        r,
        proportion('reoffending_12m', youngerNum, youngerDen, r.comparator, { age_band: '10-14' }),
        proportion('reoffending_12m', num - youngerNum, den - youngerDen, r.comparator, { age_band: '15-17' }),
        count('people_supported', den + random.int(3, 10)),
      ];
    });
  },

  'hartley-peer-mentors': (ctx) => {
    const { periods, random } = ctx;
    const reoffend = reoffending(ctx, 0.38, [30, 45], 0.49, adultNational);
    return periods.map((_, i) => {
      const r = reoffend[i] as ObservationDraft;
      const den = r.denominator as number;
      return [
        r,
        proportion('sustained_employment', Math.round(den * random.between(0.26, 0.34)), den,
          { value: 0.22, kind: 'national_average', source: demo('Illustrative national average employment rate six months after release'), period: nationalPeriod(periods) }),
        count('people_supported', den + random.int(5, 12)),
      ];
    });
  },

  // Honesty: a project doing worse than its comparator, after losing most of its mentors.
  'steady-steps': (ctx) => {
    const { periods, random } = ctx;
    const reoffend = reoffending(ctx, 0.53, [18, 26], 0.49, adultNational);
    return periods.map((_, i) => {
      const r = reoffend[i] as ObservationDraft;
      const retained = i < Math.ceil(periods.length / 2) ? random.int(2, 3) : random.int(4, 5);
      return [r, proportion('staff_retention', retained, 5), count('people_supported', (r.denominator as number) + random.int(2, 6))];
    });
  },

  // A town-wide social-connection programme against a comparator area (difference in differences).
  'ashbrook-connects': ({ periods, random }) => {
    const admissions = admissionsSeries(periods, random);
    const n = periods.length;
    return periods.map((period, i) => {
      const lonelyDen = random.int(120, 180);
      return [
        count('non_elective_admissions', admissions.project[i] as number, {
          value: admissions.comparator[i] as number,
          kind: 'baseline',
          source: demo('Westmere, a comparator area of similar size and deprivation, same quarter'),
          period,
        }),
        proportion('loneliness', Math.round(lonelyDen * line(0.46, 0.3, i, n)), lonelyDen,
          { value: 0.25, kind: 'target', source: demo('Programme target for people feeling lonely often or always'), period: null }),
        count('people_supported', random.int(300, 420)),
      ];
    });
  },

  // A housing team's waiting list: flat, then falling once it moves to individual conversations.
  'home-conversations': ({ periods, random }) => {
    const n = periods.length;
    const change = housingChangeQuarter(n);
    const level = random.int(116, 124);
    const waiting: number[] = [];
    for (let i = 0; i < n; i++) {
      waiting.push(i < change ? level + random.int(-2, 2) : Math.round((waiting[i - 1] as number) * random.between(0.85, 0.9)));
    }
    const before = waiting.slice(0, change);
    const baseline = Math.round(before.reduce((a, b) => a + b, 0) / before.length);
    const baselinePeriod: Period = { start: (periods[0] as Period).start, end: (periods[change - 1] as Period).end };
    const ownBaseline = (value: number, what: string): ComparatorDraft =>
      ({ value, kind: 'baseline', source: demo(what), period: baselinePeriod });
    return periods.map((_, i) => {
      const contacts = random.int(160, 220);
      const repeatRate = i < change ? random.between(0.36, 0.4) : random.between(0.16, 0.22);
      return [
        count('waiting_list_length', waiting[i] as number,
          ownBaseline(baseline, 'Own waiting list before the move to individual conversations, quarterly average')),
        count('homelessness_applications', i < change ? random.int(14, 20) : random.int(4, 11),
          ownBaseline(17, 'Own homelessness applications before the move to individual conversations, quarterly average')),
        proportion('repeat_conversations', Math.round(contacts * repeatRate), contacts,
          ownBaseline(0.38, 'Own share of repeat conversations before the move to individual conversations')),
        count('people_supported', random.int(70, 95)),
      ];
    });
  },

  // Community palliative care: fewer repeat conversations, a handful of A&E attendances.
  'palliative-at-home': ({ periods, random }) =>
    periods.map(() => {
      const contacts = random.int(200, 320);
      return [
        count('people_supported', random.int(40, 70)),
        proportion('repeat_conversations', Math.round(contacts * random.between(0.18, 0.26)), contacts, {
          value: 0.55, kind: 'baseline', source: demo('Share of repeat conversations for people near the end of life in Northfield before the team began'),
          period: null,
        }),
        // Small on purpose: 3 to 9 attendances a quarter, so some are withheld outside the project.
        count('ae_attendances', random.int(3, 9), {
          value: 16, kind: 'baseline', source: demo('Quarterly A&E attendances of the people the team supports, in the year before referral'), period: null,
        }),
      ];
    }),

  // Social care conversations, with the one matched comparison group in the demo world.
  'community-connectors': ({ periods, random }) => {
    const n = periods.length;
    return periods.map((_, i) => {
      const contacts = random.int(240, 320);
      const lonelyDen = random.int(60, 90);
      const gp = Math.round(random.int(190, 230) * line(1, 0.8, i, n));
      return [
        proportion('repeat_conversations', Math.round(contacts * line(0.31, 0.2, i, n)), contacts,
          { value: 0.31, kind: 'baseline', source: demo('Own share of repeat conversations in the first quarter'), period: periods[0] ?? null }),
        count('gp_appointments', gp, {
          value: Math.round(gp * random.between(1.08, 1.2)), kind: 'control_group',
          source: demo('Matched comparison group of people registered at the same GP practices'), period: null,
        }),
        proportion('loneliness', Math.round(lonelyDen * line(0.5, 0.36, i, n)), lonelyDen),
        count('people_supported', random.int(90, 130)),
      ];
    });
  },
};

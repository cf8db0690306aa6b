// Response rows of the analytics routes: /v1/outcomes, /v1/outcomes/did and /v1/system.
// Every figure that may be withheld by small-number protection is nullable, and a withheld
// field is named in `suppressed_fields`, so a null never has to be guessed at.
import { z } from 'zod';
import { FiniteNumber, IsoDateString, MetricKey, Uuid } from './common.ts';
import { MetricKindEnum, PolarityEnum } from './metric.ts';
import { ComparatorKindEnum } from './snapshot.ts';
import { GrainEnum, discountings, outcomeGroupings, systemLevels } from './query.ts';

const Figure = FiniteNumber.nullable();
const Count = z.int().min(0).nullable();

export const EvidenceStrengthEnum = z.enum(['matched', 'trend', 'descriptive']).describe(
  'How far the comparison reads as a counterfactual: matched (control_group) > trend (baseline, a difference-in-differences) > descriptive (national_average, target).',
);

export const BenefitAssumptionsBody = z
  .strictObject({
    deadweight: FiniteNumber.describe('Share that would have happened anyway.'),
    displacement: FiniteNumber.describe('Share that only moved a problem elsewhere.'),
    attribution: FiniteNumber.describe('Share owed to others.'),
    drop_off: FiniteNumber.describe("Share of each year's benefit lost by the next."),
    years: z.int().min(1).describe('Years the benefit lasts.'),
    discount_rate: FiniteNumber.describe('Annual discount rate.'),
    discounting: z.enum(discountings).describe('green_book: t = 0…years−1; sroi: t = 1…years.'),
  })
  .describe('The preventative-benefit parameters this row was computed with (the query\'s, else the defaults).');
export type BenefitAssumptionsBody = z.infer<typeof BenefitAssumptionsBody>;

export const FunnelPointBody = z
  .strictObject({
    p0: FiniteNumber.describe('The pooled rate Σnumerators ÷ Σdenominators of the projects sharing this metric and period.'),
    n: z.int().min(1).describe("This project's denominator."),
    lower95: FiniteNumber,
    upper95: FiniteNumber,
    lower998: FiniteNumber,
    upper998: FiniteNumber,
    outside95: z.boolean().describe('The rate lies outside the 95% limits p₀ ± 1.96·√(p₀(1−p₀)/n).'),
    outside998: z.boolean().describe('The rate lies outside the 99.8% limits.'),
  })
  .describe('Funnel-plot limits (Spiegelhalter 2005), clipped to [0, 1].');

export const outcomeSuppressibleFields = [
  'value', 'numerator', 'denominator', 'rate', 'ci_low', 'ci_high', 'difference', 'relative_difference',
  'events_prevented', 'benefit_year1_gbp', 'benefit_present_value_gbp', 'funnel',
] as const;
export type OutcomeSuppressibleField = (typeof outcomeSuppressibleFields)[number];

const suppressedDescription =
  'Fields withheld by small-number protection, on every view but the submitting organisation\'s own and an admin\'s: counts of 1–7 are withheld, other counts rounded to the nearest 5 (totals from the raw total); rates, intervals, differences, events prevented and benefits are recomputed from the rounded counts and withheld with them. A withheld field is null, never 0.';

export const OutcomeRow = z
  .strictObject({
    project_id: Uuid.nullable().describe('The project; null when grouped by portfolio or place.'),
    place_code: z.string().nullable().describe('The place; null for a portfolio spanning several.'),
    projects: z.int().min(1).describe('How many projects the row rolls up.'),
    metric_key: MetricKey,
    metric_kind: MetricKindEnum,
    polarity: PolarityEnum,
    grain: GrainEnum,
    period_start: IsoDateString,
    period_end: IsoDateString.describe('Inclusive. A snapshot period longer than the grain keeps its own period (flag period_exceeds_grain).'),
    value: Figure.describe('The figure: a count summed over periods and projects; for a proportion the rate.'),
    numerator: Count.describe('For a proportion: Σ numerators.'),
    denominator: Count.describe('For a proportion: Σ denominators.'),
    rate: Figure.describe('For a proportion: numerator ÷ denominator.'),
    ci_low: Figure.describe('95% Wilson score interval, z = 1.959964.'),
    ci_high: Figure,
    comparator_value: Figure.describe(
      'The comparator: for a proportion the rows\' comparator rates weighted by denominator; for a count their sum; only rows that have one.',
    ),
    comparator_kind: ComparatorKindEnum.nullable().describe('null when there is none, or the rows mix kinds (flag comparator_kinds_mixed).'),
    comparator_source: z.string().nullable(),
    evidence_strength: EvidenceStrengthEnum.nullable().describe('The weakest of the comparisons rolled up; null without a comparator.'),
    difference: Figure.describe('rate − comparator (a count: value − comparator), in the metric\'s units.'),
    relative_difference: Figure.describe('difference ÷ comparator.'),
    events_prevented: Figure.describe(
      'Proportions: (comparator − rate) × denominator when lower is better, (rate − comparator) × denominator when higher is better, over the rows with a comparator. Counts: comparator − value against a control_group only. Negative when the project did worse.',
    ),
    unit_cost_gbp: Figure.describe('The price of one avoided event, from the metric\'s unit cost.'),
    unit_cost_source: z.string().nullable().describe('Source, edition, reference and price year of the unit cost.'),
    benefit_year1_gbp: Figure.describe(
      'events_prevented × unit cost × (1 − deadweight)(1 − displacement)(1 − attribution); null without a unit cost, never 0.',
    ),
    benefit_present_value_gbp: Figure.describe('Σ year_t ÷ (1 + discount_rate)^t, each year (1 − drop_off) of the one before.'),
    assumptions: BenefitAssumptionsBody,
    funnel: FunnelPointBody.nullable().describe(
      'With group_by=project, when two or more projects in view report this proportion for this period; otherwise null.',
    ),
    stories: z.int().min(0).describe('Stories the caller may read, on the current snapshots rolled up here, linked to this metric.'),
    flags: z.array(z.string()).describe(
      'Notes: comparator_partial (only some rows had a comparator), comparator_kinds_mixed, events_prevented_partial, counts_incomplete, value_is_mean, period_exceeds_grain, and the snapshots\' own flags.',
    ),
    suppressed_fields: z.array(z.enum(outcomeSuppressibleFields)).describe(suppressedDescription),
  })
  .describe('One metric for one project (or portfolio, or place) and period.');
export type OutcomeRow = z.infer<typeof OutcomeRow>;

export const OutcomesBody = z.strictObject({
  group_by: z.enum(outcomeGroupings),
  outcomes: z.array(OutcomeRow),
});
export type OutcomesBody = z.infer<typeof OutcomesBody>;

const DidPeriod = z.strictObject({
  period_start: IsoDateString,
  period_end: IsoDateString,
  value: Figure.describe('The project\'s figure (a proportion\'s rate).'),
  numerator: Count,
  denominator: Count,
  comparator_value: FiniteNumber.describe('The baseline comparator for the period.'),
  comparator_source: z.string().nullable(),
});

export const didSuppressibleFields = [
  'a.value', 'a.numerator', 'a.denominator', 'b.value', 'b.numerator', 'b.denominator',
  'project_change', 'additive', 'project_ratio', 'ratio_of_ratios', 'effect', 'events_prevented',
] as const;

export const DidResult = z
  .strictObject({
    project_id: Uuid,
    metric_key: MetricKey,
    metric_kind: MetricKindEnum,
    polarity: PolarityEnum,
    evidence_strength: EvidenceStrengthEnum,
    a: DidPeriod.describe('The earlier period.'),
    b: DidPeriod.describe('The later period.'),
    project_change: Figure.describe('project_b − project_a'),
    comparator_change: FiniteNumber.describe('comparator_b − comparator_a'),
    additive: Figure.describe('(project_b − project_a) − (comparator_b − comparator_a), in the metric\'s units.'),
    project_ratio: Figure.describe('project_b ÷ project_a'),
    comparator_ratio: Figure.describe('comparator_b ÷ comparator_a'),
    ratio_of_ratios: Figure.describe('(project_b ÷ project_a) ÷ (comparator_b ÷ comparator_a)'),
    effect: Figure.describe('ratio_of_ratios − 1: −0.331 reads "33.1% lower than the comparator\'s trend predicts".'),
    events_prevented: Figure.describe(
      'Counts only: project_a × (comparator_b ÷ comparator_a) − project_b when lower is better (the sign flips otherwise); null for other kinds.',
    ),
    flags: z.array(z.string()),
    suppressed_fields: z.array(z.enum(didSuppressibleFields)).describe(suppressedDescription),
  })
  .describe('Difference-in-differences of one project against its baseline comparator series between two periods.');
export type DidResult = z.infer<typeof DidResult>;

export const systemSuppressibleFields = [
  'contacts', 'people', 'costed_contacts', 'repeat_contacts', 'needs', 'needs_resolved',
  'cost_per_contact', 'minutes_per_contact', 'repeat_share', 'contacts_per_resolved_need',
  'minutes_per_resolved_need', 'cost_per_resolved_need', 'services_per_need',
] as const;
export type SystemSuppressibleField = (typeof systemSuppressibleFields)[number];

const placeOnly = (what: string) => `${what} Place rows only; null on service rows.`;

export const SystemRow = z
  .strictObject({
    level: z.enum(systemLevels).describe('service: part-system efficiency; place: whole-system effectiveness.'),
    service_id: Uuid.nullable().describe('The service; null on place rows.'),
    place_code: z.string(),
    grain: GrainEnum,
    period_start: IsoDateString,
    period_end: IsoDateString,
    contacts: Count.describe('Contacts in the period.'),
    people: Count.describe('Distinct people with a contact in the period.'),
    minutes: z.int().min(0).describe('Minutes of contact in the period (a sum, shown exactly).'),
    cost_gbp: Figure.describe('Cost of the costed contacts (the contact\'s own, else the service\'s unit cost); null when none was costed.'),
    costed_contacts: Count.describe('Contacts with a known cost.'),
    cost_per_contact: Figure.describe('cost_gbp ÷ costed_contacts.'),
    minutes_per_contact: Figure.describe('minutes ÷ contacts.'),
    repeat_contacts: Count.describe('Contacts after the first in their episode (failure demand).'),
    repeat_share: Figure.describe('repeat_contacts ÷ contacts.'),
    needs: Count.describe(placeOnly('Distinct episodes (needs) with a contact in the period.')),
    needs_resolved: Count.describe(placeOnly('Episodes whose resolving contact falls in the period.')),
    contacts_per_resolved_need: Figure.describe(placeOnly('Contacts of the resolved episodes, in every service and period, ÷ needs_resolved.')),
    minutes_per_resolved_need: Figure.describe(placeOnly('Their minutes ÷ needs_resolved.')),
    cost_per_resolved_need: Figure.describe(placeOnly('Their cost ÷ needs_resolved; null when any of their contacts was uncosted (flag resolved_cost_incomplete).')),
    services_per_need: Figure.describe(placeOnly('Σ distinct services per resolved episode ÷ needs_resolved.')),
    flags: z.array(z.string()).describe('cost_incomplete: fewer costed contacts than contacts; resolved_cost_incomplete: likewise for the resolved needs.'),
    suppressed_fields: z.array(z.enum(systemSuppressibleFields)).describe(
      'Fields withheld by small-number protection, on every view but an admin\'s and (service rows) the service\'s own organisation\'s: counts of 1–7 withheld, others rounded to the nearest 5; ratios recomputed from the rounded counts and withheld with them. Minutes and money are sums, shown as they are. A withheld field is null, never 0.',
    ),
  })
  .describe('Part-system efficiency of one service, or whole-system effectiveness of one place, in one period.');
export type SystemRow = z.infer<typeof SystemRow>;

export const SystemBody = z.strictObject({ system: z.array(SystemRow) });
export type SystemBody = z.infer<typeof SystemBody>;

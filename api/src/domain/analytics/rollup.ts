// Outcome rows from the ETL's per-project, per-period figures: rolled up to a grain and a
// grouping, compared, monetised and protected. Pure, so every rule can be checked by hand.
import {
  compare, eventsPreventedForCount, eventsPreventedForProportion, funnelLimits,
  preventativeBenefit, proportionWithInterval, protectCount, weakestEvidence, type BenefitAssumptions,
} from '@firstmile/etl';
import {
  nhsSuppressionRule, type AnalyticsOutcomeRow, type ComparatorKind, type Grain, type MetricKind, type OutcomeGrouping, type OutcomeRow,
  type OutcomeSuppressibleField, type Polarity, type SuppressionRule,
} from '@firstmile/schema';
import { rollupPeriod } from './periods.ts';

/** One row of analytics_outcomes as the actor may see it, with the count of its stories the actor may read. */
export type OutcomeFact = Pick<
  AnalyticsOutcomeRow,
  | 'organisation_id' | 'project_id' | 'place_code' | 'metric_key' | 'period_start' | 'period_end' | 'value'
  | 'numerator' | 'denominator' | 'comparator_value' | 'comparator_kind' | 'comparator_source'
> & { flags: readonly string[]; stories: number };

export interface MetricInfo {
  kind: MetricKind;
  polarity: Polarity;
  unit_cost_gbp: number | null;
  unit_cost_source: string | null;
}

export interface RollupOptions {
  grain: Grain;
  groupBy: OutcomeGrouping;
  assumptions: BenefitAssumptions;
  /** The viewer's organisation: its own projects' rows are exact. */
  organisationId: string;
  /** Admins see everything exactly. */
  exact: boolean;
  /** Only rolled-up periods ending on or after `from` and starting on or before `to`. */
  from?: string;
  to?: string;
  rule?: SuppressionRule;
}

/** Sums of figures that add up over periods and projects; the rest are averaged (and flagged). */
const additiveKinds: ReadonlySet<MetricKind> = new Set(['count', 'duration_minutes', 'currency_gbp']);

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

const rateFields: readonly OutcomeSuppressibleField[] = ['value', 'rate', 'ci_low', 'ci_high'];

export function rollUpOutcomes(facts: readonly OutcomeFact[], metrics: ReadonlyMap<string, MetricInfo>, options: RollupOptions): OutcomeRow[] {
  const groups = new Map<string, { key: GroupKey; facts: OutcomeFact[]; exceeds: boolean }>();
  for (const fact of facts) {
    const period = rollupPeriod({ start: fact.period_start, end: fact.period_end }, options.grain);
    if (options.from !== undefined && period.end < options.from) continue;
    if (options.to !== undefined && period.start > options.to) continue;
    const who = options.groupBy === 'project' ? fact.project_id : options.groupBy === 'place' ? fact.place_code : '';
    const id = JSON.stringify([who, fact.metric_key, period.start, period.end]);
    let group = groups.get(id);
    if (!group) {
      group = { key: { who, metric_key: fact.metric_key, start: period.start, end: period.end }, facts: [], exceeds: false };
      groups.set(id, group);
    }
    group.facts.push(fact);
    group.exceeds ||= period.exceeds;
  }

  const rows: Array<OutcomeRow & { _counts: FunnelCounts | null }> = [];
  for (const group of groups.values()) {
    const metric = metrics.get(group.key.metric_key);
    if (!metric) throw new Error(`rollUpOutcomes: no metric ${group.key.metric_key}`);
    // A row mixing the viewer's own projects with others' is protected as others' are.
    const exact = options.exact || group.facts.every((f) => f.organisation_id === options.organisationId);
    rows.push(outcomeRow(group.key, group.facts, group.exceeds, metric, exact, options));
  }
  rows.sort((a, b) =>
    cmp(a.metric_key, b.metric_key) || cmp(a.period_start, b.period_start) || cmp(a.period_end, b.period_end)
    || cmp(a.place_code ?? '', b.place_code ?? '') || cmp(a.project_id ?? '', b.project_id ?? ''));
  if (options.groupBy === 'project') addFunnels(rows);
  return rows.map(({ _counts, ...row }) => row);
}

interface GroupKey {
  who: string;
  metric_key: string;
  start: string;
  end: string;
}

/** The counts a row shows, for the funnel plot drawn from them. */
interface FunnelCounts {
  numerator: number | null;
  denominator: number | null;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function outcomeRow(
  key: GroupKey, facts: OutcomeFact[], exceeds: boolean, metric: MetricInfo, exact: boolean, options: RollupOptions,
): OutcomeRow & { _counts: FunnelCounts | null } {
  const rule = options.rule ?? nhsSuppressionRule;
  const protect = (n: number) => (exact ? n : protectCount(n, rule));
  const flags = new Set<string>(facts.flatMap((f) => f.flags));
  const suppressed = new Set<OutcomeSuppressibleField>();
  if (exceeds) flags.add('period_exceeds_grain');

  // The figure --------------------------------------------------------------------------------
  let value: number | null = null;
  let numerator: number | null = null;
  let denominator: number | null = null;
  let rate: number | null = null;
  let ciLow: number | null = null;
  let ciHigh: number | null = null;
  let counts: FunnelCounts | null = null;
  const withCounts = facts.every((f) => f.numerator !== null && f.denominator !== null);
  if (metric.kind === 'proportion') {
    if (withCounts) {
      // Totals are summed raw and only then protected, never summed from rounded cells.
      const p = proportionWithInterval(sum(facts.map((f) => f.numerator!)), sum(facts.map((f) => f.denominator!)), exact ? null : rule);
      ({ numerator, denominator, rate } = p);
      value = rate;
      ciLow = p.ci_low;
      ciHigh = p.ci_high;
      counts = { numerator, denominator };
      for (const field of p.suppressed_fields) {
        // A withheld rate takes its interval with it; value and rate are the same figure here.
        for (const f of field === 'value' ? rateFields : [field]) suppressed.add(f);
      }
    } else if (facts.length === 1) {
      // A rate given without its counts: shown as given, with no interval (there is no n).
      value = rate = facts[0]!.value;
    } else {
      flags.add('counts_incomplete');
    }
  } else if (additiveKinds.has(metric.kind)) {
    if (facts.every((f) => f.value !== null)) {
      const total = sum(facts.map((f) => f.value!));
      // Only counts of events are protected; minutes and money are not counts of people.
      value = metric.kind === 'count' ? protect(total) : total;
      if (value === null) suppressed.add('value');
    } else {
      flags.add('counts_incomplete');
    }
  } else {
    value = meanOf(facts.map((f) => f.value));
    if (facts.length > 1 && value !== null) flags.add('value_is_mean');
  }

  // The comparator -----------------------------------------------------------------------------
  const compared = facts.filter((f) => f.comparator_value !== null && f.comparator_kind !== null);
  const partial = compared.length > 0 && compared.length < facts.length;
  if (partial) flags.add('comparator_partial');
  const kinds = [...new Set(compared.map((f) => f.comparator_kind!))];
  if (kinds.length > 1) flags.add('comparator_kinds_mixed');
  const sources = [...new Set(compared.map((f) => f.comparator_source).filter((s): s is string => s !== null))];
  let comparator: number | null = null;
  if (compared.length > 0) {
    if (metric.kind === 'proportion') {
      // Weighted by denominator, so the pooled comparator answers the pooled rate.
      const weights = compared.map((f) => f.denominator);
      const total = sum(weights.map((w) => w ?? 0));
      if (weights.every((w) => w !== null) && total > 0) {
        comparator = sum(compared.map((f) => f.comparator_value! * f.denominator!)) / total;
      } else {
        comparator = meanOf(compared.map((f) => f.comparator_value));
        if (compared.length > 1) flags.add('comparator_unweighted');
      }
    } else if (additiveKinds.has(metric.kind)) {
      comparator = sum(compared.map((f) => f.comparator_value!));
    } else {
      comparator = meanOf(compared.map((f) => f.comparator_value));
    }
  }

  // A sum over some periods cannot be set against a comparator summed over fewer; a rate or a
  // mean can be set against a rate or mean over fewer.
  const comparable = comparator !== null && !(partial && additiveKinds.has(metric.kind));
  const { difference, relative_difference } = comparable ? compare(value, comparator) : { difference: null, relative_difference: null };
  if (comparable && value === null && suppressed.has('value')) {
    suppressed.add('difference');
    suppressed.add('relative_difference');
  }

  // Events prevented, over the rows whose comparison supports it ------------------------------
  let eventsPrevented: number | null = null;
  let eventsWithheld = false;
  let eventsRows: OutcomeFact[] = [];
  if (metric.kind === 'proportion') {
    eventsRows = compared.filter((f) => f.numerator !== null && f.denominator !== null);
    if (eventsRows.length > 0 && eventsRows.length === compared.length) {
      const n = protect(sum(eventsRows.map((f) => f.numerator!)));
      const d = protect(sum(eventsRows.map((f) => f.denominator!)));
      const weighted = sum(eventsRows.map((f) => f.comparator_value! * f.denominator!)) / sum(eventsRows.map((f) => f.denominator!));
      if (n === null || d === null) eventsWithheld = true;
      else if (d > 0) {
        // Σ (cᵢ − nᵢ/dᵢ)·dᵢ = c̄·D − N = (c̄ − N/D)·D, so this is the sum over the rows.
        eventsPrevented = eventsPreventedForProportion({ rate: n / d, comparatorRate: weighted, denominator: d, polarity: metric.polarity });
      }
    } else {
      eventsRows = [];
    }
  } else if (metric.kind === 'count') {
    // Only a matched control group is a counterfactual for a count.
    eventsRows = compared.filter((f) => f.comparator_kind === 'control_group' && f.value !== null);
    if (eventsRows.length > 0) {
      const v = protect(sum(eventsRows.map((f) => f.value!)));
      if (v === null) eventsWithheld = true;
      else {
        eventsPrevented = eventsPreventedForCount({
          value: v, comparator: sum(eventsRows.map((f) => f.comparator_value!)), comparatorKind: 'control_group', polarity: metric.polarity,
        });
      }
    }
  }
  if (eventsRows.length > 0 && eventsRows.length < facts.length) flags.add('events_prevented_partial');
  if (eventsWithheld) suppressed.add('events_prevented');

  const benefit = preventativeBenefit(eventsPrevented, metric.unit_cost_gbp, options.assumptions);
  if (eventsWithheld && metric.unit_cost_gbp !== null) {
    suppressed.add('benefit_year1_gbp');
    suppressed.add('benefit_present_value_gbp');
  }

  const places = [...new Set(facts.map((f) => f.place_code))];
  return {
    project_id: options.groupBy === 'project' ? key.who : null,
    place_code: places.length === 1 ? places[0]! : null,
    projects: new Set(facts.map((f) => f.project_id)).size,
    metric_key: key.metric_key,
    metric_kind: metric.kind,
    polarity: metric.polarity,
    grain: options.grain,
    period_start: key.start,
    period_end: key.end,
    value,
    numerator,
    denominator,
    rate,
    ci_low: ciLow,
    ci_high: ciHigh,
    comparator_value: comparator,
    comparator_kind: kinds.length === 1 ? kinds[0]! : null,
    comparator_source: sources.length === 0 ? null : sources.join('; '),
    evidence_strength: weakestEvidence(kinds),
    difference,
    relative_difference,
    events_prevented: eventsPrevented,
    unit_cost_gbp: metric.unit_cost_gbp,
    unit_cost_source: metric.unit_cost_source,
    benefit_year1_gbp: benefit?.year1_gbp ?? null,
    benefit_present_value_gbp: benefit?.present_value_gbp ?? null,
    assumptions: { ...options.assumptions },
    funnel: null,
    stories: sum(facts.map((f) => f.stories)),
    flags: [...flags].sort(),
    suppressed_fields: orderedSuppressed(suppressed),
    _counts: counts,
  };
}

function meanOf(values: ReadonlyArray<number | null>): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : sum(present) / present.length;
}

const fieldOrder: readonly OutcomeSuppressibleField[] = [
  'value', 'numerator', 'denominator', 'rate', 'ci_low', 'ci_high', 'difference', 'relative_difference',
  'events_prevented', 'benefit_year1_gbp', 'benefit_present_value_gbp', 'funnel',
];

function orderedSuppressed(fields: ReadonlySet<OutcomeSuppressibleField>): OutcomeSuppressibleField[] {
  return fieldOrder.filter((f) => fields.has(f));
}

/**
 * Funnel limits for each project row of a proportion, when two or more projects report it for
 * the same period: drawn round the pooled rate of the counts the viewer is shown, so a funder's
 * funnel is drawn from rounded counts. A project whose counts are withheld has no point on it.
 */
function addFunnels(rows: Array<OutcomeRow & { _counts: FunnelCounts | null }>): void {
  const sets = new Map<string, Array<OutcomeRow & { _counts: FunnelCounts | null }>>();
  for (const row of rows) {
    if (row.metric_kind !== 'proportion' || row._counts === null) continue;
    const id = JSON.stringify([row.metric_key, row.period_start, row.period_end]);
    sets.set(id, [...(sets.get(id) ?? []), row]);
  }
  for (const set of sets.values()) {
    if (set.length < 2) continue;
    const shown = set.filter((r) => r._counts!.numerator !== null && r._counts!.denominator !== null && r._counts!.denominator > 0);
    for (const row of set) {
      if (!shown.includes(row) && row._counts!.denominator !== 0) row.suppressed_fields = orderedSuppressed(new Set([...row.suppressed_fields, 'funnel']));
    }
    if (shown.length < 2) continue;
    const limits = funnelLimits(shown.map((r) => ({ numerator: r._counts!.numerator!, denominator: r._counts!.denominator! })));
    if (!limits) continue;
    shown.forEach((row, i) => {
      row.funnel = limits.points[i] ?? null;
    });
  }
}

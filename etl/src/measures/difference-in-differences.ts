import type { Polarity } from '@firstmile/schema';

/**
 * Difference-in-differences for a metric with a baseline comparator series: the comparator's change
 * between an earlier period a and a later period b stands in for what would have happened to the
 * project without it. Reported both additively (in the metric's units; points for a proportion) and
 * as a ratio of ratios, because a 70-admission fall means different things from 500 and from 90.
 */
export interface DidInput {
  projectA: number;
  projectB: number;
  comparatorA: number;
  comparatorB: number;
}

export interface DidResult {
  /** projectB − projectA */
  project_change: number;
  /** comparatorB − comparatorA */
  comparator_change: number;
  /** project_change − comparator_change */
  additive: number;
  /** projectB ÷ projectA; null when projectA is 0 */
  project_ratio: number | null;
  /** comparatorB ÷ comparatorA; null when comparatorA is 0 */
  comparator_ratio: number | null;
  /** project_ratio ÷ comparator_ratio; null when either is null or the comparator ratio is 0 */
  ratio_of_ratios: number | null;
  /** ratio_of_ratios − 1: −0.331 reads "33.1% lower than the comparator's trend predicts" */
  effect: number | null;
}

export function differenceInDifferences(x: DidInput): DidResult {
  const project_change = x.projectB - x.projectA;
  const comparator_change = x.comparatorB - x.comparatorA;
  const project_ratio = divide(x.projectB, x.projectA);
  const comparator_ratio = divide(x.comparatorB, x.comparatorA);
  const ratio_of_ratios = project_ratio === null || comparator_ratio === null ? null : divide(project_ratio, comparator_ratio);
  return {
    project_change,
    comparator_change,
    additive: project_change - comparator_change,
    project_ratio,
    comparator_ratio,
    ratio_of_ratios,
    effect: ratio_of_ratios === null ? null : ratio_of_ratios - 1,
  };
}

/**
 * Events prevented for a count with a baseline comparator trend: had the project followed the
 * comparator's trend it would have reached expected_b = projectA × (comparatorB ÷ comparatorA).
 * Lower is better: expected_b − projectB; higher is better: projectB − expected_b. Negative when the
 * project did worse than the trend. Null when comparatorA is 0 (no trend to apply).
 */
export function counterfactualEventsPrevented(x: DidInput & { polarity: Polarity }): number | null {
  const trend = divide(x.comparatorB, x.comparatorA);
  if (trend === null) return null;
  const expectedB = x.projectA * trend;
  return x.polarity === 'lower_is_better' ? expectedB - x.projectB : x.projectB - expectedB;
}

function divide(a: number, b: number): number | null {
  return b === 0 ? null : a / b;
}

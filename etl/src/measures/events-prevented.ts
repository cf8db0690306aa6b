import type { ComparatorKind, Polarity } from '@firstmile/schema';

/**
 * Events prevented: how many fewer bad outcomes (or more good ones) the project's people had than
 * the comparator says they would have. Negative when the project does worse — never floored at 0,
 * because hiding a worse result would make every other figure less trustworthy.
 */

/**
 * For a proportion: (comparator_rate − rate) × denominator when lower is better,
 * (rate − comparator_rate) × denominator when higher is better. Null when any input is missing.
 */
export function eventsPreventedForProportion(a: {
  rate: number | null;
  comparatorRate: number | null;
  denominator: number | null;
  polarity: Polarity;
}): number | null {
  if (a.rate === null || a.comparatorRate === null || a.denominator === null) return null;
  const better = a.polarity === 'lower_is_better' ? a.comparatorRate - a.rate : a.rate - a.comparatorRate;
  return better * a.denominator;
}

/**
 * For a count, only against a matched control group: its count is what the same people would have
 * had without the project. A national average or a target describes someone else, so subtracting it
 * would claim a counterfactual that is not there; a baseline trend goes through
 * counterfactualEventsPrevented (difference-in-differences) instead.
 */
export function eventsPreventedForCount(a: {
  value: number | null;
  comparator: number | null;
  comparatorKind: ComparatorKind | null;
  polarity: Polarity;
}): number | null {
  if (a.value === null || a.comparator === null || a.comparatorKind !== 'control_group') return null;
  return a.polarity === 'lower_is_better' ? a.comparator - a.value : a.value - a.comparator;
}

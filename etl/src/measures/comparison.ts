import type { ComparatorKind } from '@firstmile/schema';

/**
 * How far a comparison can be read as "what would have happened otherwise". Shown wherever the
 * comparison is shown, so a reader can tell a matched control group from a national average.
 */
export type EvidenceStrength = 'matched' | 'trend' | 'descriptive';

const strengthOf: Readonly<Record<ComparatorKind, EvidenceStrength>> = Object.freeze({
  control_group: 'matched',
  baseline: 'trend',
  national_average: 'descriptive',
  target: 'descriptive',
});

/** Strongest first; the index orders them. */
const strongestFirst: readonly EvidenceStrength[] = ['matched', 'trend', 'descriptive'];

const words: Readonly<Record<ComparatorKind, string>> = Object.freeze({
  control_group: 'against a matched control group — a counterfactual, the strongest comparison',
  baseline: 'against a baseline trend — a difference-in-differences, not a matched comparison',
  national_average: 'against a national average — descriptive, not a matched comparison',
  target: 'against a target — descriptive, not a matched comparison',
});

/** Null when there is no comparator: there is no comparison to grade. */
export function evidenceStrength(kind: ComparatorKind | null): EvidenceStrength | null {
  return kind === null ? null : strengthOf[kind];
}

/** The caption a chart or report puts beside a comparison. */
export function evidenceStrengthInWords(kind: ComparatorKind | null): string | null {
  return kind === null ? null : words[kind];
}

/**
 * The strength of a rolled-up comparison is that of its weakest part: a portfolio mixing matched
 * and national-average comparators is only descriptive as a whole. Missing comparators (null) are
 * left out — they add no comparison rather than a weak one; null when none is present.
 */
export function weakestEvidence(kinds: Array<ComparatorKind | null>): EvidenceStrength | null {
  let weakest = -1;
  for (const kind of kinds) {
    if (kind === null) continue;
    weakest = Math.max(weakest, strongestFirst.indexOf(strengthOf[kind]));
  }
  return strongestFirst[weakest] ?? null;
}

/**
 * difference = value − comparator (in the metric's units, e.g. a proportion's points);
 * relative_difference = difference ÷ comparator, null when the comparator is 0 (no finite ratio) or
 * either side is missing.
 */
export function compare(
  value: number | null,
  comparator: number | null,
): { difference: number | null; relative_difference: number | null } {
  if (value === null || comparator === null) return { difference: null, relative_difference: null };
  const difference = value - comparator;
  return { difference, relative_difference: comparator === 0 ? null : difference / comparator };
}

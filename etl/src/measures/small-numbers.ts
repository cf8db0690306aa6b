import { nhsSuppressionRule, type SuppressionRule } from '@firstmile/schema';

/**
 * Small-number protection for every view that is not the submitting organisation's own,
 * after the NHS rule for published statistics: 0 stays 0, counts from 1 to 7 are withheld,
 * every other count is rounded to the nearest 5. A rate is computed from the rounded counts
 * and withheld when either count is withheld. Withheld means null, never 0.
 */
/** One count as others may see it: null when withheld. */
export function protectCount(count: number, rule: SuppressionRule = nhsSuppressionRule): number | null {
  if (count === 0) return 0;
  if (count <= rule.withheldUpTo) return null;
  return Math.round(count / rule.roundTo) * rule.roundTo;
}

export interface ProtectedProportion {
  numerator: number | null;
  denominator: number | null;
  /** numerator ÷ denominator of the rounded counts; null when either is withheld or the denominator is 0. */
  rate: number | null;
  suppressed_fields: Array<'numerator' | 'denominator' | 'value'>;
}

export function protectProportion(numerator: number, denominator: number, rule: SuppressionRule = nhsSuppressionRule): ProtectedProportion {
  const n = protectCount(numerator, rule);
  const d = protectCount(denominator, rule);
  const suppressed: ProtectedProportion['suppressed_fields'] = [];
  if (n === null) suppressed.push('numerator');
  if (d === null) suppressed.push('denominator');
  const rate = n === null || d === null || d === 0 ? null : n / d;
  if (rate === null && suppressed.length > 0) suppressed.push('value');
  return { numerator: n, denominator: d, rate, suppressed_fields: suppressed };
}

import type { SuppressionRule } from '@firstmile/schema';
import { protectProportion, type ProtectedProportion } from './small-numbers.ts';
import { wilsonInterval } from './wilson.ts';

/** A proportion as one viewer may see it: counts, rate and its 95% interval, all from the same counts. */
export interface ProportionWithInterval extends ProtectedProportion {
  ci_low: number | null;
  ci_high: number | null;
}

/**
 * The rate and its Wilson interval, exact for the submitting organisation's own view and an admin's
 * (rule null), otherwise from the rounded counts so the interval matches the counts shown beside it.
 * A withheld count withholds the rate and the interval; 0 of 0 has neither, with nothing withheld.
 */
export function proportionWithInterval(numerator: number, denominator: number, rule: SuppressionRule | null): ProportionWithInterval {
  const p: ProtectedProportion =
    rule === null
      ? { numerator, denominator, rate: denominator === 0 ? null : numerator / denominator, suppressed_fields: [] }
      : protectProportion(numerator, denominator, rule);
  const ci = p.numerator === null || p.denominator === null ? null : wilsonInterval(p.numerator, p.denominator);
  return { ...p, ci_low: ci?.low ?? null, ci_high: ci?.high ?? null };
}

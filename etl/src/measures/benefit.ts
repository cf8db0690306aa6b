/**
 * Preventative benefit in pounds, the SROI way (Cabinet Office guide), discounted at the Green Book
 * rate. Every assumption is a named parameter so a row can show exactly what produced its figure.
 */

/**
 * green_book: the first year is not discounted (t = 0…years−1), HM Treasury's convention and the default.
 * sroi: every year is discounted (t = 1…years), the SROI guide's convention.
 */
export type Discounting = 'green_book' | 'sroi';

export interface BenefitAssumptions {
  /** Share of the outcome that would have happened anyway, 0–1. */
  deadweight: number;
  /** Share of the outcome that only moved a problem elsewhere, 0–1. */
  displacement: number;
  /** Share of the outcome owed to others, 0–1. */
  attribution: number;
  /** Share of each year's benefit lost by the next, 0–1. */
  drop_off: number;
  /** Years the benefit lasts, a whole number from 1. */
  years: number;
  /** Annual discount rate; 0.035 is the Green Book's. */
  discount_rate: number;
  discounting: Discounting;
}

export const defaultBenefitAssumptions: BenefitAssumptions = Object.freeze({
  deadweight: 0,
  displacement: 0,
  attribution: 0,
  drop_off: 0,
  years: 1,
  discount_rate: 0.035,
  discounting: 'green_book',
});

/** What is wrong with a set of assumptions, one line per field; empty when they can be used. */
export function benefitAssumptionProblems(a: BenefitAssumptions): Array<{ field: keyof BenefitAssumptions; message: string }> {
  const problems: Array<{ field: keyof BenefitAssumptions; message: string }> = [];
  for (const field of ['deadweight', 'displacement', 'attribution', 'drop_off'] as const) {
    const v = a[field];
    if (!(Number.isFinite(v) && v >= 0 && v <= 1)) problems.push({ field, message: 'must be a share from 0 to 1' });
  }
  if (!(Number.isInteger(a.years) && a.years >= 1)) problems.push({ field: 'years', message: 'must be a whole number from 1' });
  if (!(Number.isFinite(a.discount_rate) && a.discount_rate >= 0)) problems.push({ field: 'discount_rate', message: 'must be 0 or more' });
  if (a.discounting !== 'green_book' && a.discounting !== 'sroi') problems.push({ field: 'discounting', message: "must be 'green_book' or 'sroi'" });
  return problems;
}

/**
 * year1 = events × unit cost × (1 − deadweight)(1 − displacement)(1 − attribution);
 * year k+1 = year k × (1 − drop_off); present value = Σ year_t ÷ (1 + r)^t over the convention's t.
 * Null when events or the unit cost is missing: an unpriced outcome has unknown value, not £0.
 * Negative events prevented (a project doing worse) give a negative benefit.
 */
export function preventativeBenefit(
  eventsPrevented: number | null,
  unitCostGbp: number | null,
  a: BenefitAssumptions,
): { year1_gbp: number; present_value_gbp: number; by_year_gbp: number[] } | null {
  const problems = benefitAssumptionProblems(a);
  if (problems.length > 0) {
    throw new RangeError(`preventativeBenefit: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`);
  }
  if (eventsPrevented === null || unitCostGbp === null) return null;
  const year1 = eventsPrevented * unitCostGbp * (1 - a.deadweight) * (1 - a.displacement) * (1 - a.attribution);
  const byYear: number[] = [];
  let presentValue = 0;
  let impact = year1;
  const firstT = a.discounting === 'green_book' ? 0 : 1;
  for (let i = 0; i < a.years; i++) {
    byYear.push(impact);
    presentValue += impact / (1 + a.discount_rate) ** (firstT + i);
    impact *= 1 - a.drop_off;
  }
  return { year1_gbp: year1, present_value_gbp: presentValue, by_year_gbp: byYear };
}

/** £ of benefit per £ put in. Null without inputs (or with £0 of them): no ratio to speak of. */
export function sroiRatio(presentValue: number | null, inputsGbp: number | null): number | null {
  if (presentValue === null || inputsGbp === null || inputsGbp === 0) return null;
  return presentValue / inputsGbp;
}

/** Present value less the money put in. Null when either is missing. */
export function netPresentValue(presentValue: number | null, inputsGbp: number | null): number | null {
  if (presentValue === null || inputsGbp === null) return null;
  return presentValue - inputsGbp;
}

import { nhsSuppressionRule as nhsSuppression, type SuppressionRule } from '@firstmile/schema';

/**
 * How figures read to people. A rate never appears without its denominator, and a withheld
 * count never reads as zero. Shared by the dashboard and the reports.
 */

const percent = new Intl.NumberFormat('en-GB', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });


/** What a withheld cell says instead of a number: "fewer than 8". */
export function withheldText(rule: SuppressionRule = nhsSuppression): string {
  return `fewer than ${whole.format(rule.withheldUpTo + 1)}`;
}

export function formatCount(value: number | null, rule: SuppressionRule = nhsSuppression): string {
  return value === null ? withheldText(rule) : whole.format(value);
}

export interface ProportionFigure {
  numerator: number | null;
  denominator: number | null;
  ciLow?: number | null;
  ciHigh?: number | null;
}

/** "8.0% (2 of 25; 95% CI 2.2% to 25.0%)", or why there is no rate. */
export function formatProportion(figure: ProportionFigure, rule: SuppressionRule = nhsSuppression): string {
  const { numerator, denominator } = figure;
  if (numerator === null || denominator === null) {
    return `withheld (${formatCount(numerator, rule)} of ${formatCount(denominator, rule)})`;
  }
  if (denominator === 0) return 'no rate (0 people in the denominator)';
  const base = `${percent.format(numerator / denominator)} (${whole.format(numerator)} of ${whole.format(denominator)}`;
  if (figure.ciLow == null || figure.ciHigh == null) return `${base})`;
  return `${base}; 95% CI ${percent.format(figure.ciLow)} to ${percent.format(figure.ciHigh)})`;
}

/**
 * The small-number rule, configuration shared by the ETL (which applies it) and the
 * dashboard and reports (which say what a withheld cell means). Default: the NHS rule for
 * published statistics — withhold counts from 1 to 7, round the rest to the nearest 5.
 */
export interface SuppressionRule {
  /** Counts from 1 up to and including this are withheld. */
  readonly withheldUpTo: number;
  /** Other counts are rounded to the nearest multiple of this. */
  readonly roundTo: number;
}

export const nhsSuppressionRule: SuppressionRule = Object.freeze({ withheldUpTo: 7, roundTo: 5 });

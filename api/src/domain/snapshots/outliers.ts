/**
 * Flags a figure far outside the project's own history for a person to look at. It never
 * refuses the figure: an unusual quarter may be real.
 *
 * The robust (modified) z-score of Iglewicz and Hoaglin (1993), "How to Detect and Handle
 * Outliers": z = 0.6745 · (x − median) / MAD, where MAD is the median absolute deviation from
 * the median, and |z| > 3.5 counts as an outlier. 0.6745 is the 0.75 quantile of the standard
 * normal, which makes MAD comparable with a standard deviation for normal data; median and MAD
 * are not dragged by the outliers they look for, as a mean and standard deviation would be.
 */
export const OUTLIER_FLAG = 'outlier_for_review';
export const OUTLIER_Z = 3.5;
export const OUTLIER_MIN_HISTORY = 4;
const CONSISTENCY = 0.6745;

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface OutlierCheck {
  /** True when the value should be reviewed. */
  outlier: boolean;
  /** The modified z-score; null when there is too little history or MAD is 0. */
  z: number | null;
  median: number | null;
  mad: number | null;
}

/**
 * Checks `value` against `history`: the same metric (and disaggregation) in the project's
 * earlier periods, one value per period. With fewer than four earlier periods nothing is
 * flagged. When MAD is 0 (at least half the history is one value) the z-score is undefined;
 * then any value other than the median is flagged.
 */
export function checkOutlier(value: number, history: readonly number[]): OutlierCheck {
  if (history.length < OUTLIER_MIN_HISTORY) return { outlier: false, z: null, median: null, mad: null };
  const m = median(history);
  const mad = median(history.map((h) => Math.abs(h - m)));
  if (mad === 0) return { outlier: value !== m, z: null, median: m, mad };
  const z = (CONSISTENCY * (value - m)) / mad;
  return { outlier: Math.abs(z) > OUTLIER_Z, z, median: m, mad };
}

/**
 * The Wilson score interval for a proportion. Unlike the textbook p ± z·√(p(1−p)/n) it stays inside
 * [0, 1] and does not collapse to a zero-width interval at 0 of n or n of n, which matters for the
 * small projects Firstmile is built for.
 */

/** Two-sided 95%: the z DESIGN fixes, so a commissioner can reproduce every interval by hand. */
export const Z95 = 1.959964;
/** Two-sided 99.8%: the outer funnel-plot limit (Spiegelhalter 2005). */
export const Z998 = 3.090232;

/**
 * (p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n), with p = numerator ÷ denominator and n = denominator.
 * Null when the denominator is 0: there is no rate to put an interval round.
 */
export function wilsonInterval(numerator: number, denominator: number, z = Z95): { low: number; high: number } | null {
  // Counts come validated from the API (integers, numerator ≤ denominator); anything else here is a bug upstream.
  if (!Number.isFinite(numerator) || !Number.isFinite(denominator) || numerator < 0 || numerator > denominator) {
    throw new RangeError(`wilsonInterval: need 0 ≤ numerator ≤ denominator, got ${numerator} of ${denominator}`);
  }
  if (!(z > 0)) throw new RangeError(`wilsonInterval: z must be positive, got ${z}`);
  if (denominator === 0) return null;
  const n = denominator;
  const p = numerator / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const half = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const scale = 1 + z2 / n;
  // At 0 of n and n of n the bound is exactly 0 or 1 in exact arithmetic; floating point leaves ±1e-16,
  // which would print as "0.0000000001%" or exceed 100%.
  const low = numerator === 0 ? 0 : clamp01((centre - half) / scale);
  const high = numerator === denominator ? 1 : clamp01((centre + half) / scale);
  return { low, high };
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

import { Z95, Z998 } from './wilson.ts';

/**
 * Funnel-plot limits for comparing many projects on one proportion (Spiegelhalter 2005): around the
 * pooled rate, the band a project of that size would fall in by chance alone. Small projects get wide
 * limits, so they are not ranked on noise.
 */
export interface FunnelPoint {
  /** The pooled rate the limits are drawn round (the same for every point). */
  p0: number;
  /** This unit's denominator. */
  n: number;
  lower95: number;
  upper95: number;
  lower998: number;
  upper998: number;
  /** The unit's rate lies strictly outside the 95% limits. */
  outside95: boolean;
  /** The unit's rate lies strictly outside the 99.8% limits. */
  outside998: boolean;
}

/**
 * p₀ = Σnumerators ÷ Σdenominators; for each unit p₀ ± z·√(p₀(1−p₀)/n) at z = Z95 and Z998, clipped to
 * [0, 1]. Points come back in the order of the units; a unit with denominator 0 has no rate and gets
 * null (it adds nothing to p₀ either). Null overall when Σdenominators is 0.
 */
export function funnelLimits(
  units: ReadonlyArray<{ numerator: number; denominator: number }>,
): { p0: number; points: Array<FunnelPoint | null> } | null {
  let numerators = 0;
  let denominators = 0;
  for (const u of units) {
    if (!Number.isFinite(u.numerator) || !Number.isFinite(u.denominator) || u.numerator < 0 || u.numerator > u.denominator) {
      throw new RangeError(`funnelLimits: need 0 ≤ numerator ≤ denominator, got ${u.numerator} of ${u.denominator}`);
    }
    numerators += u.numerator;
    denominators += u.denominator;
  }
  if (denominators === 0) return null;
  const p0 = numerators / denominators;
  const points = units.map((u): FunnelPoint | null => {
    const n = u.denominator;
    if (n === 0) return null;
    const se = Math.sqrt((p0 * (1 - p0)) / n);
    const rate = u.numerator / n;
    const lower95 = clamp01(p0 - Z95 * se);
    const upper95 = clamp01(p0 + Z95 * se);
    const lower998 = clamp01(p0 - Z998 * se);
    const upper998 = clamp01(p0 + Z998 * se);
    return {
      p0,
      n,
      lower95,
      upper95,
      lower998,
      upper998,
      outside95: rate < lower95 || rate > upper95,
      outside998: rate < lower998 || rate > upper998,
    };
  });
  return { p0, points };
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

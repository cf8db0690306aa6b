import { describe, expect, it } from 'vitest';
import { funnelLimits } from './funnel.ts';

describe('funnel limits', () => {
  it('four projects and one with nothing to report, worked by hand', () => {
    // A 1/50 = 0.02, B 20/100 = 0.20, C 45/150 = 0.30, D 14/100 = 0.14, E 0/0 (no rate)
    // p₀ = (1 + 20 + 45 + 14 + 0) / (50 + 100 + 150 + 100 + 0) = 80/400 = 0.2; p₀(1−p₀) = 0.16
    // n = 50:  se = √(0.16/50)  = 0.0565685;  95%: ± 1.959964 × se = ± 0.1108723;  99.8%: ± 3.090232 × se = ± 0.1748099
    // n = 100: se = √(0.16/100) = 0.04;       95%: ± 0.0783986;                   99.8%: ± 0.1236093
    // n = 150: se = √(0.16/150) = 0.0326599;  95%: ± 0.0640122;                   99.8%: ± 0.1009266
    // A: 0.02 < 0.2 − 0.1748099 = 0.0251901 → outside both
    // B: 0.20 = p₀ → inside both
    // C: 0.30 > 0.2 + 0.0640122 = 0.2640122 → outside 95%; 0.30 < 0.2 + 0.1009266 = 0.3009266 → inside 99.8%
    // D: 0.14 > 0.2 − 0.0783986 = 0.1216014 → inside both
    const f = funnelLimits([
      { numerator: 1, denominator: 50 },
      { numerator: 20, denominator: 100 },
      { numerator: 45, denominator: 150 },
      { numerator: 14, denominator: 100 },
      { numerator: 0, denominator: 0 },
    ]);
    expect(f?.p0).toBeCloseTo(0.2, 12);
    const [a, b, c, d, e] = f?.points ?? [];

    expect(a?.n).toBe(50);
    expect(a?.p0).toBeCloseTo(0.2, 12);
    expect(a?.lower95).toBeCloseTo(0.0891277, 7);
    expect(a?.upper95).toBeCloseTo(0.3108723, 7);
    expect(a?.lower998).toBeCloseTo(0.0251901, 7);
    expect(a?.upper998).toBeCloseTo(0.3748099, 7);
    expect([a?.outside95, a?.outside998]).toEqual([true, true]);

    expect(b?.lower95).toBeCloseTo(0.1216014, 7);
    expect(b?.upper95).toBeCloseTo(0.2783986, 7);
    expect(b?.lower998).toBeCloseTo(0.0763907, 7);
    expect(b?.upper998).toBeCloseTo(0.3236093, 7);
    expect([b?.outside95, b?.outside998]).toEqual([false, false]);

    expect(c?.lower95).toBeCloseTo(0.1359878, 7);
    expect(c?.upper95).toBeCloseTo(0.2640122, 7);
    expect(c?.lower998).toBeCloseTo(0.0990734, 7);
    expect(c?.upper998).toBeCloseTo(0.3009266, 7);
    expect([c?.outside95, c?.outside998]).toEqual([true, false]);

    expect(d?.upper95).toBeCloseTo(0.2783986, 7);
    expect([d?.outside95, d?.outside998]).toEqual([false, false]);

    expect(e).toBeNull();
    expect(f?.points).toHaveLength(5);
  });

  it('clips limits at 0 for a rare outcome', () => {
    // 1/100 and 1/100: p₀ = 2/200 = 0.01; se = √(0.01 × 0.99 / 100) = 0.0099499
    // 95%: 0.01 ± 0.0195014 → [−0.0095014 → 0, 0.0295014]; 99.8%: 0.01 ± 0.0307474 → [0, 0.0407474]
    const f = funnelLimits([{ numerator: 1, denominator: 100 }, { numerator: 1, denominator: 100 }]);
    const p = f?.points[0];
    expect(p?.lower95).toBe(0);
    expect(p?.upper95).toBeCloseTo(0.0295014, 7);
    expect(p?.lower998).toBe(0);
    expect(p?.upper998).toBeCloseTo(0.0407474, 7);
    expect(p?.outside95).toBe(false);
  });

  it('clips limits at 1 for an outcome nearly everyone has', () => {
    // 99/100 and 99/100: p₀ = 0.99, the mirror of the case above → upper limits 1
    const p = funnelLimits([{ numerator: 99, denominator: 100 }, { numerator: 99, denominator: 100 }])?.points[1];
    expect(p?.upper95).toBe(1);
    expect(p?.upper998).toBe(1);
    expect(p?.lower95).toBeCloseTo(0.9704986, 7);
  });

  it('p₀ of 0 or 1: zero-width limits, nobody outside', () => {
    // 0/10 and 0/30: p₀ = 0, se = 0
    const zero = funnelLimits([{ numerator: 0, denominator: 10 }, { numerator: 0, denominator: 30 }]);
    expect(zero?.p0).toBe(0);
    expect(zero?.points[0]).toEqual({ p0: 0, n: 10, lower95: 0, upper95: 0, lower998: 0, upper998: 0, outside95: false, outside998: false });
    const all = funnelLimits([{ numerator: 10, denominator: 10 }, { numerator: 30, denominator: 30 }]);
    expect(all?.p0).toBe(1);
    expect(all?.points[1]?.outside95).toBe(false);
  });

  it('one project alone sits on its own p₀', () => {
    const f = funnelLimits([{ numerator: 12, denominator: 80 }]);
    expect(f?.p0).toBe(0.15);
    expect(f?.points[0]?.outside95).toBe(false);
  });

  it('no denominators at all: null', () => {
    expect(funnelLimits([])).toBeNull();
    expect(funnelLimits([{ numerator: 0, denominator: 0 }, { numerator: 0, denominator: 0 }])).toBeNull();
  });

  it('refuses a numerator above its denominator', () => {
    expect(() => funnelLimits([{ numerator: 5, denominator: 4 }])).toThrow(RangeError);
  });
});

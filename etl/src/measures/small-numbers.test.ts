import { describe, expect, it } from 'vitest';
import { protectCount, protectProportion } from './small-numbers.ts';

describe('small-number protection (NHS rule: withhold 1–7, round the rest to 5)', () => {
  it('keeps 0, withholds 1 to 7, rounds from 8 up', () => {
    expect(protectCount(0)).toBe(0);
    for (const n of [1, 2, 3, 4, 5, 6, 7]) expect(protectCount(n), String(n)).toBeNull();
    expect(protectCount(8)).toBe(10); // 8/5 = 1.6 → 2 × 5
    expect(protectCount(12)).toBe(10); // 12/5 = 2.4 → 2 × 5
    expect(protectCount(13)).toBe(15); // 13/5 = 2.6 → 3 × 5
    expect(protectCount(208)).toBe(210); // 41.6 → 42 × 5
  });

  it('computes a rate from the rounded counts', () => {
    // 17 of 208: rounded 15 of 210 → 15 ÷ 210 = 0.0714…, not the exact 0.0817.
    const p = protectProportion(17, 208);
    expect(p).toEqual({ numerator: 15, denominator: 210, rate: 15 / 210, suppressed_fields: [] });
    expect(p.rate).toBeCloseTo(0.071429, 6);
  });

  it('withholds the rate with either count, and never turns a withheld count into 0', () => {
    expect(protectProportion(3, 40)).toEqual({ numerator: null, denominator: 40, rate: null, suppressed_fields: ['numerator', 'value'] });
    expect(protectProportion(2, 6)).toEqual({ numerator: null, denominator: null, rate: null, suppressed_fields: ['numerator', 'denominator', 'value'] });
    // 0 of 25 is shown: 0 is not a small number that could identify anyone.
    expect(protectProportion(0, 25)).toEqual({ numerator: 0, denominator: 25, rate: 0, suppressed_fields: [] });
  });

  it('takes other thresholds from configuration', () => {
    expect(protectCount(9, { withheldUpTo: 9, roundTo: 10 })).toBeNull();
    expect(protectCount(14, { withheldUpTo: 9, roundTo: 10 })).toBe(10);
  });
});

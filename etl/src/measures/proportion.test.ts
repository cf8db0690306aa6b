import { nhsSuppressionRule } from '@firstmile/schema';
import { describe, expect, it } from 'vitest';
import { proportionWithInterval } from './proportion.ts';

describe('a proportion with its interval, exact or protected', () => {
  it('exact for the submitter: 12 of 80, interval as worked in wilson.test.ts', () => {
    const p = proportionWithInterval(12, 80, null);
    expect(p).toMatchObject({ numerator: 12, denominator: 80, rate: 0.15, suppressed_fields: [] });
    expect(p.ci_low).toBeCloseTo(0.0879404, 7);
    expect(p.ci_high).toBeCloseTo(0.2441323, 7);
  });

  it('for others, rate and interval come from the rounded counts', () => {
    // 12 → 10, 80 → 80: rate 10/80 = 0.125
    // Wilson on 10 of 80: centre = 0.125 + 3.841458881/160 = 0.149009118
    // half = 1.959964·√(0.125·0.875/80 + 0.000150057) = 1.959964·√(0.001517245) = 0.076344
    // scale 1.048018236: low = 0.072665/1.048018 = 0.069336, high = 0.225353/1.048018 = 0.215028
    const p = proportionWithInterval(12, 80, nhsSuppressionRule);
    expect(p).toMatchObject({ numerator: 10, denominator: 80, rate: 0.125, suppressed_fields: [] });
    expect(p.ci_low).toBeCloseTo(0.069336, 6);
    expect(p.ci_high).toBeCloseTo(0.215028, 6);
  });

  it('a withheld count withholds the rate and the interval', () => {
    expect(proportionWithInterval(3, 40, nhsSuppressionRule)).toEqual({
      numerator: null, denominator: 40, rate: null, ci_low: null, ci_high: null, suppressed_fields: ['numerator', 'value'],
    });
  });

  it('0 of n keeps its interval; 0 of 0 has none and withholds nothing', () => {
    const z = proportionWithInterval(0, 25, nhsSuppressionRule);
    expect(z.rate).toBe(0);
    expect(z.ci_low).toBe(0);
    // high = (z²/n)/(1 + z²/n) = 0.153658/1.153658 = 0.133192
    expect(z.ci_high).toBeCloseTo(0.133192, 6);
    expect(proportionWithInterval(0, 0, null)).toEqual({
      numerator: 0, denominator: 0, rate: null, ci_low: null, ci_high: null, suppressed_fields: [],
    });
  });
});

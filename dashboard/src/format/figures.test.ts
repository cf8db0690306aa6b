import { describe, expect, it } from 'vitest';
import { formatCount, formatProportion, withheldText } from './figures.ts';

describe('figures as people read them', () => {
  it('says "fewer than 8" for a withheld count under the NHS rule, never 0', () => {
    expect(withheldText()).toBe('fewer than 8');
    expect(formatCount(null)).toBe('fewer than 8');
    expect(formatCount(0)).toBe('0');
    expect(formatCount(12345)).toBe('12,345');
    expect(formatCount(null, { withheldUpTo: 9, roundTo: 10 })).toBe('fewer than 10');
  });

  it('gives a rate with its denominator and interval', () => {
    // 2 of 25 = 0.08 → "8.0%"; the interval is passed through as given.
    expect(formatProportion({ numerator: 2, denominator: 25, ciLow: 0.0222, ciHigh: 0.2497 })).toBe(
      '8.0% (2 of 25; 95% CI 2.2% to 25.0%)',
    );
    expect(formatProportion({ numerator: 49, denominator: 100 })).toBe('49.0% (49 of 100)');
  });

  it('explains a missing rate rather than showing one', () => {
    expect(formatProportion({ numerator: null, denominator: 40 })).toBe('withheld (fewer than 8 of 40)');
    expect(formatProportion({ numerator: 0, denominator: 0 })).toBe('no rate (0 people in the denominator)');
  });
});

import { describe, expect, it } from 'vitest';
import { wilsonInterval, Z95, Z998 } from './wilson.ts';

// z = 1.959964, z² = 3.841458881296.
describe('Wilson score interval', () => {
  it('12 of 80, worked by hand', () => {
    // p = 12/80 = 0.15, n = 80
    // centre = p + z²/2n       = 0.15 + 3.841458881296/160          = 0.174009118008
    // half   = z·√(p(1−p)/n + z²/4n²) = 1.959964·√(0.00159375 + 0.000150057) = 0.081845970
    // scale  = 1 + z²/n        = 1 + 0.048018236                      = 1.048018236
    // low  = (0.174009118 − 0.081845970) / 1.048018236 = 0.0879404
    // high = (0.174009118 + 0.081845970) / 1.048018236 = 0.2441323
    const ci = wilsonInterval(12, 80);
    expect(ci?.low).toBeCloseTo(0.0879404, 7);
    expect(ci?.high).toBeCloseTo(0.2441323, 7);
  });

  it('12 of 80 at 99.8% is wider', () => {
    // z = 3.090232, z² = 9.549533814; centre = 0.15 + 9.549533814/160 = 0.209684586
    // half = 3.090232·√(0.00159375 + 9.549533814/25600) = 0.137046778; scale = 1 + 9.549533814/80 = 1.119369173
    // low = 0.072637808/1.119369173 = 0.0648917; high = 0.346731364/1.119369173 = 0.3097560
    const ci = wilsonInterval(12, 80, Z998);
    expect(ci?.low).toBeCloseTo(0.0648917, 7);
    expect(ci?.high).toBeCloseTo(0.3097560, 7);
  });

  it('0 of n: the low end is exactly 0 and the high end is not', () => {
    // p = 0: centre = half = z²/2n = 3.841458881/20 = 0.192072944; scale = 1.384145888
    // high = 2 · 0.192072944 / 1.384145888 = 0.2775328
    const ci = wilsonInterval(0, 10);
    expect(ci?.low).toBe(0);
    expect(ci?.high).toBeCloseTo(0.2775328, 7);
  });

  it('n of n: the high end is exactly 1 (not 0.9999999999999999)', () => {
    // p = 1: centre = 1 + 0.192072944 = 1.192072944; half = 0.192072944
    // low = 1/1.384145888 = 0.7224672 (the mirror of 0 of 10)
    const ci = wilsonInterval(10, 10);
    expect(ci?.high).toBe(1);
    expect(ci?.low).toBeCloseTo(0.7224672, 7);
    expect(wilsonInterval(1, 1)?.high).toBe(1);
  });

  it('0 of 0 has no interval', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
  });

  it('is symmetric: x of n mirrors n−x of n', () => {
    const a = wilsonInterval(3, 17);
    const b = wilsonInterval(14, 17);
    expect(a?.low).toBeCloseTo(1 - (b?.high ?? NaN), 12);
    expect(a?.high).toBeCloseTo(1 - (b?.low ?? NaN), 12);
  });

  it('always contains the rate and stays in [0, 1]', () => {
    for (const n of [1, 2, 5, 9, 40, 1000]) {
      for (let x = 0; x <= n; x += Math.max(1, Math.floor(n / 7))) {
        const ci = wilsonInterval(x, n, Z95);
        expect(ci).not.toBeNull();
        if (!ci) continue;
        expect(ci.low).toBeGreaterThanOrEqual(0);
        expect(ci.high).toBeLessThanOrEqual(1);
        expect(ci.low).toBeLessThanOrEqual(x / n);
        expect(ci.high).toBeGreaterThanOrEqual(x / n);
      }
    }
  });

  it('refuses counts that cannot be a proportion', () => {
    expect(() => wilsonInterval(9, 8)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 8)).toThrow(RangeError);
    expect(() => wilsonInterval(1, Number.NaN)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 8, 0)).toThrow(RangeError);
  });

  it('uses z = 1.959964 by default', () => {
    expect(wilsonInterval(12, 80)).toEqual(wilsonInterval(12, 80, Z95));
  });
});

import { describe, expect, it } from 'vitest';
import { checkOutlier, median } from './outliers.ts';

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });
});

describe('checkOutlier (modified z-score, Iglewicz & Hoaglin)', () => {
  // History 10, 12, 11, 13, 12: sorted 10 11 12 12 13, median 12.
  // Absolute deviations 2, 0, 1, 1, 0: sorted 0 0 1 1 2, MAD 1.
  // z = 0.6745 · (x − 12) / 1, so |z| > 3.5 exactly when |x − 12| > 5.189.
  const history = [10, 12, 11, 13, 12];

  it('flags 30: z = 0.6745 · 18 = 12.141', () => {
    const check = checkOutlier(30, history);
    expect(check.median).toBe(12);
    expect(check.mad).toBe(1);
    expect(check.z).toBeCloseTo(12.141, 3);
    expect(check.outlier).toBe(true);
  });

  it('lets 17 through (z = 3.3725) and flags 18 (z = 4.047), on both sides', () => {
    expect(checkOutlier(17, history)).toMatchObject({ outlier: false });
    expect(checkOutlier(17, history).z).toBeCloseTo(3.3725, 4);
    expect(checkOutlier(18, history)).toMatchObject({ outlier: true });
    expect(checkOutlier(18, history).z).toBeCloseTo(4.047, 3);
    expect(checkOutlier(7, history)).toMatchObject({ outlier: false }); // z = −3.3725
    expect(checkOutlier(6, history)).toMatchObject({ outlier: true }); // z = −4.047
  });

  it('works with an even history: 1, 2, 3, 4 has median 2.5 and MAD 1', () => {
    // Deviations 1.5, 0.5, 0.5, 1.5: median 1. z(7) = 0.6745 · 4.5 = 3.035; z(8) = 0.6745 · 5.5 = 3.710.
    expect(checkOutlier(7, [1, 2, 3, 4])).toMatchObject({ outlier: false, median: 2.5, mad: 1 });
    expect(checkOutlier(8, [1, 2, 3, 4])).toMatchObject({ outlier: true });
    expect(checkOutlier(8, [1, 2, 3, 4]).z).toBeCloseTo(3.710, 3);
    expect(checkOutlier(-3, [1, 2, 3, 4])).toMatchObject({ outlier: true });
  });

  it('works on proportions: 0.20, 0.22, 0.18, 0.21, 0.19 against 0.35', () => {
    // Median 0.20; deviations 0, 0.02, 0.02, 0.01, 0.01: MAD 0.01. z(0.35) = 0.6745 · 15 = 10.1.
    const rates = [0.2, 0.22, 0.18, 0.21, 0.19];
    expect(checkOutlier(0.35, rates).z).toBeCloseTo(10.12, 1);
    expect(checkOutlier(0.35, rates).outlier).toBe(true);
    expect(checkOutlier(0.23, rates).outlier).toBe(false); // z ≈ 2.02
  });

  it('needs at least four earlier periods', () => {
    expect(checkOutlier(1000, [10, 12, 11])).toEqual({ outlier: false, z: null, median: null, mad: null });
    expect(checkOutlier(1000, [10, 12, 11, 13]).outlier).toBe(true);
  });

  it('flags any value other than the median when MAD is 0', () => {
    // 5, 5, 5, 5, 7: median 5, deviations 0 0 0 0 2, MAD 0.
    expect(checkOutlier(5, [5, 5, 5, 5, 7])).toEqual({ outlier: false, z: null, median: 5, mad: 0 });
    expect(checkOutlier(6, [5, 5, 5, 5, 7])).toEqual({ outlier: true, z: null, median: 5, mad: 0 });
    expect(checkOutlier(0, [0, 0, 0, 0]).outlier).toBe(false);
  });
});

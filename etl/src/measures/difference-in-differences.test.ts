import { describe, expect, it } from 'vitest';
import { counterfactualEventsPrevented, differenceInDifferences } from './difference-in-differences.ts';

describe('difference-in-differences', () => {
  it("DESIGN's example: admissions fell 14% while the comparator area's rose 28.5%", () => {
    // project 500 → 430: change −70, ratio 430/500 = 0.86
    // comparator 400 → 514: change +114, ratio 514/400 = 1.285
    // additive = −70 − 114 = −184 admissions
    // ratio of ratios = 0.86 / 1.285 = 0.6692607…; effect = 0.6692607 − 1 = −0.3307393 (−33.1%)
    const d = differenceInDifferences({ projectA: 500, projectB: 430, comparatorA: 400, comparatorB: 514 });
    expect(d.project_change).toBe(-70);
    expect(d.comparator_change).toBe(114);
    expect(d.additive).toBe(-184);
    expect(d.project_ratio).toBeCloseTo(0.86, 12);
    expect(d.comparator_ratio).toBeCloseTo(1.285, 12);
    expect(d.ratio_of_ratios).toBeCloseTo(0.6692607, 7);
    expect(d.effect).toBeCloseTo(-0.3307393, 7);
  });

  it('on a proportion the additive figure is in points', () => {
    // project 0.30 → 0.24 (−0.06), comparator 0.28 → 0.28 (0): additive −0.06 − 0 = −0.06
    // ratios 0.24/0.30 = 0.8 and 0.28/0.28 = 1: ratio of ratios 0.8, effect −0.2
    const d = differenceInDifferences({ projectA: 0.3, projectB: 0.24, comparatorA: 0.28, comparatorB: 0.28 });
    expect(d.additive).toBeCloseTo(-0.06, 12);
    expect(d.ratio_of_ratios).toBeCloseTo(0.8, 12);
    expect(d.effect).toBeCloseTo(-0.2, 12);
  });

  it('a project doing worse than the trend: positive additive, effect above 0', () => {
    // project 100 → 120 (+20, ×1.2); comparator 200 → 200 (0, ×1): additive +20, ratio of ratios 1.2, effect +0.2
    const d = differenceInDifferences({ projectA: 100, projectB: 120, comparatorA: 200, comparatorB: 200 });
    expect(d.additive).toBe(20);
    expect(d.ratio_of_ratios).toBeCloseTo(1.2, 12);
    expect(d.effect).toBeCloseTo(0.2, 12);
  });

  it('a zero earlier value: the additive figure stands, the ratios that divide by it are null', () => {
    // project 0 → 5: no project ratio; comparator 10 → 20 gives 2
    const p = differenceInDifferences({ projectA: 0, projectB: 5, comparatorA: 10, comparatorB: 20 });
    expect(p).toEqual({ project_change: 5, comparator_change: 10, additive: -5, project_ratio: null, comparator_ratio: 2, ratio_of_ratios: null, effect: null });
    // comparator 0 → 3: no comparator ratio
    const c = differenceInDifferences({ projectA: 10, projectB: 5, comparatorA: 0, comparatorB: 3 });
    expect(c).toEqual({ project_change: -5, comparator_change: 3, additive: -8, project_ratio: 0.5, comparator_ratio: null, ratio_of_ratios: null, effect: null });
  });

  it('a comparator that falls to 0: its ratio is 0, the ratio of ratios is null', () => {
    const d = differenceInDifferences({ projectA: 10, projectB: 5, comparatorA: 4, comparatorB: 0 });
    expect(d.comparator_ratio).toBe(0);
    expect(d.ratio_of_ratios).toBeNull();
    expect(d.effect).toBeNull();
    expect(d.additive).toBe(-1); // −5 − (−4)
  });
});

describe('events prevented against a comparator trend', () => {
  it("DESIGN's example: 500 × 1.285 = 642.5 expected, 430 seen, 212.5 admissions prevented", () => {
    const x = { projectA: 500, projectB: 430, comparatorA: 400, comparatorB: 514 };
    expect(counterfactualEventsPrevented({ ...x, polarity: 'lower_is_better' })).toBeCloseTo(212.5, 10);
    // higher is better: 430 − 642.5 = −212.5
    expect(counterfactualEventsPrevented({ ...x, polarity: 'higher_is_better' })).toBeCloseTo(-212.5, 10);
  });

  it('a project doing worse than the trend: negative', () => {
    // expected 100 × (200/200) = 100; seen 120; lower is better: 100 − 120 = −20
    expect(counterfactualEventsPrevented({ projectA: 100, projectB: 120, comparatorA: 200, comparatorB: 200, polarity: 'lower_is_better' })).toBe(-20);
  });

  it('no comparator in the earlier period: null', () => {
    expect(counterfactualEventsPrevented({ projectA: 100, projectB: 80, comparatorA: 0, comparatorB: 10, polarity: 'lower_is_better' })).toBeNull();
  });

  it('a project starting from 0 is expected to stay at 0', () => {
    // expected 0 × (20/10) = 0; seen 3; lower is better: 0 − 3 = −3
    expect(counterfactualEventsPrevented({ projectA: 0, projectB: 3, comparatorA: 10, comparatorB: 20, polarity: 'lower_is_better' })).toBe(-3);
  });
});

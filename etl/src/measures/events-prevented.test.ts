import { describe, expect, it } from 'vitest';
import { eventsPreventedForCount, eventsPreventedForProportion } from './events-prevented.ts';

describe('events prevented for a proportion', () => {
  it('lower is better, project does better', () => {
    // reoffending 12 of 80 = 0.15 against 0.25: (0.25 − 0.15) × 80 = 0.10 × 80 = 8 fewer reoffences
    expect(eventsPreventedForProportion({ rate: 0.15, comparatorRate: 0.25, denominator: 80, polarity: 'lower_is_better' })).toBeCloseTo(8, 10);
  });

  it('lower is better, project does worse: negative', () => {
    // 30 of 80 = 0.375 against 0.25: (0.25 − 0.375) × 80 = −0.125 × 80 = −10
    expect(eventsPreventedForProportion({ rate: 0.375, comparatorRate: 0.25, denominator: 80, polarity: 'lower_is_better' })).toBeCloseTo(-10, 10);
  });

  it('higher is better flips the sign', () => {
    // employment 36 of 60 = 0.6 against 0.45: (0.6 − 0.45) × 60 = 0.15 × 60 = 9 more people in work
    expect(eventsPreventedForProportion({ rate: 0.6, comparatorRate: 0.45, denominator: 60, polarity: 'higher_is_better' })).toBeCloseTo(9, 10);
    // 18 of 60 = 0.3 against 0.45: (0.3 − 0.45) × 60 = −9
    expect(eventsPreventedForProportion({ rate: 0.3, comparatorRate: 0.45, denominator: 60, polarity: 'higher_is_better' })).toBeCloseTo(-9, 10);
  });

  it('0 of n and n of n', () => {
    // 0 of 40 against 0.1, lower is better: (0.1 − 0) × 40 = 4
    expect(eventsPreventedForProportion({ rate: 0, comparatorRate: 0.1, denominator: 40, polarity: 'lower_is_better' })).toBeCloseTo(4, 10);
    // 40 of 40 against 0.1, lower is better: (0.1 − 1) × 40 = −36
    expect(eventsPreventedForProportion({ rate: 1, comparatorRate: 0.1, denominator: 40, polarity: 'lower_is_better' })).toBeCloseTo(-36, 10);
  });

  it('same rate as the comparator: 0', () => {
    expect(eventsPreventedForProportion({ rate: 0.25, comparatorRate: 0.25, denominator: 80, polarity: 'lower_is_better' })).toBe(0);
  });

  it('0 of 0 (no rate), a missing comparator or a withheld denominator: null', () => {
    expect(eventsPreventedForProportion({ rate: null, comparatorRate: 0.25, denominator: 0, polarity: 'lower_is_better' })).toBeNull();
    expect(eventsPreventedForProportion({ rate: 0.15, comparatorRate: null, denominator: 80, polarity: 'lower_is_better' })).toBeNull();
    expect(eventsPreventedForProportion({ rate: 0.15, comparatorRate: 0.25, denominator: null, polarity: 'lower_is_better' })).toBeNull();
  });
});

describe('events prevented for a count', () => {
  it('against a matched control group', () => {
    // 31 admissions against the control group's 40, lower is better: 40 − 31 = 9
    expect(eventsPreventedForCount({ value: 31, comparator: 40, comparatorKind: 'control_group', polarity: 'lower_is_better' })).toBe(9);
    // worse: 52 against 40 → 40 − 52 = −12
    expect(eventsPreventedForCount({ value: 52, comparator: 40, comparatorKind: 'control_group', polarity: 'lower_is_better' })).toBe(-12);
    // higher is better: 25 tenancies sustained against 19 → 25 − 19 = 6
    expect(eventsPreventedForCount({ value: 25, comparator: 19, comparatorKind: 'control_group', polarity: 'higher_is_better' })).toBe(6);
  });

  it('not against a national average, a target or a baseline: they are not counterfactuals for these people', () => {
    for (const kind of ['national_average', 'target', 'baseline'] as const) {
      expect(eventsPreventedForCount({ value: 31, comparator: 40, comparatorKind: kind, polarity: 'lower_is_better' }), kind).toBeNull();
    }
  });

  it('a missing comparator or value: null', () => {
    expect(eventsPreventedForCount({ value: 31, comparator: null, comparatorKind: null, polarity: 'lower_is_better' })).toBeNull();
    expect(eventsPreventedForCount({ value: 31, comparator: 40, comparatorKind: null, polarity: 'lower_is_better' })).toBeNull();
    expect(eventsPreventedForCount({ value: null, comparator: 40, comparatorKind: 'control_group', polarity: 'lower_is_better' })).toBeNull();
  });

  it('a count of 0 against a control group of 0: 0', () => {
    expect(eventsPreventedForCount({ value: 0, comparator: 0, comparatorKind: 'control_group', polarity: 'lower_is_better' })).toBe(0);
  });
});

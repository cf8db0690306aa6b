import { describe, expect, it } from 'vitest';
import { compare, evidenceStrength, evidenceStrengthInWords, weakestEvidence } from './comparison.ts';

describe('evidence strength', () => {
  it('grades each comparator kind', () => {
    expect(evidenceStrength('control_group')).toBe('matched');
    expect(evidenceStrength('baseline')).toBe('trend');
    expect(evidenceStrength('national_average')).toBe('descriptive');
    expect(evidenceStrength('target')).toBe('descriptive');
    expect(evidenceStrength(null)).toBeNull();
  });

  it('says it in words a reader can quote', () => {
    expect(evidenceStrengthInWords('national_average')).toBe('against a national average — descriptive, not a matched comparison');
    expect(evidenceStrengthInWords('target')).toMatch(/descriptive, not a matched comparison/);
    expect(evidenceStrengthInWords('control_group')).toMatch(/matched control group/);
    expect(evidenceStrengthInWords('baseline')).toMatch(/difference-in-differences/);
    expect(evidenceStrengthInWords(null)).toBeNull();
  });

  it('a rollup is as strong as its weakest comparison', () => {
    expect(weakestEvidence(['control_group', 'control_group'])).toBe('matched');
    expect(weakestEvidence(['control_group', 'baseline'])).toBe('trend');
    expect(weakestEvidence(['baseline', 'target', 'control_group'])).toBe('descriptive');
    // A project without a comparator adds no comparison, so it does not weaken the rest.
    expect(weakestEvidence(['control_group', null])).toBe('matched');
    expect(weakestEvidence([null, null])).toBeNull();
    expect(weakestEvidence([])).toBeNull();
  });
});

describe('compare', () => {
  it('a project doing better on a lower-is-better rate', () => {
    // 0.15 − 0.25 = −0.10 (ten points lower); −0.10 ÷ 0.25 = −0.40 (40% lower)
    const c = compare(0.15, 0.25);
    expect(c.difference).toBeCloseTo(-0.1, 12);
    expect(c.relative_difference).toBeCloseTo(-0.4, 12);
  });

  it('a project doing worse', () => {
    // 0.30 − 0.25 = +0.05; 0.05 ÷ 0.25 = +0.20
    const c = compare(0.3, 0.25);
    expect(c.difference).toBeCloseTo(0.05, 12);
    expect(c.relative_difference).toBeCloseTo(0.2, 12);
  });

  it('counts compare too', () => {
    // 430 − 514 = −84; −84 ÷ 514 = −0.163424…
    expect(compare(430, 514)).toEqual({ difference: -84, relative_difference: -84 / 514 });
    expect(compare(430, 514).relative_difference).toBeCloseTo(-0.1634241, 7);
  });

  it('comparator 0: the difference stands, the relative difference is null', () => {
    expect(compare(0.1, 0)).toEqual({ difference: 0.1, relative_difference: null });
    expect(compare(0, 0)).toEqual({ difference: 0, relative_difference: null });
  });

  it('equal values: zero, not null', () => {
    expect(compare(0.2, 0.2)).toEqual({ difference: 0, relative_difference: 0 });
  });

  it('a missing comparator or value gives nothing', () => {
    expect(compare(0.2, null)).toEqual({ difference: null, relative_difference: null });
    expect(compare(null, 0.2)).toEqual({ difference: null, relative_difference: null });
  });
});

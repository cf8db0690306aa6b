import { describe, expect, it } from 'vitest';
import {
  benefitAssumptionProblems,
  defaultBenefitAssumptions,
  netPresentValue,
  preventativeBenefit,
  sroiRatio,
  type BenefitAssumptions,
} from './benefit.ts';

const with_ = (over: Partial<BenefitAssumptions>): BenefitAssumptions => ({ ...defaultBenefitAssumptions, ...over });

describe('preventative benefit', () => {
  it('defaults: one year, nothing taken off, first year undiscounted', () => {
    // 8 events × £1,542 = £12,336; t = 0 → ÷ 1.035⁰ = 12,336
    expect(defaultBenefitAssumptions).toEqual({
      deadweight: 0, displacement: 0, attribution: 0, drop_off: 0, years: 1, discount_rate: 0.035, discounting: 'green_book',
    });
    expect(Object.isFrozen(defaultBenefitAssumptions)).toBe(true);
    expect(preventativeBenefit(8, 1542, defaultBenefitAssumptions)).toEqual({ year1_gbp: 12336, present_value_gbp: 12336, by_year_gbp: [12336] });
  });

  it('deadweight and attribution come off year 1', () => {
    // 10 × 1,542 = 15,420; × (1 − 0.2) = 12,336; × (1 − 0) = 12,336; × (1 − 0.25) = 9,252
    const b = preventativeBenefit(10, 1542, with_({ deadweight: 0.2, attribution: 0.25 }));
    expect(b?.year1_gbp).toBeCloseTo(9252, 8);
    expect(b?.present_value_gbp).toBeCloseTo(9252, 8);
  });

  it('displacement comes off too', () => {
    // 10 × 1,542 × 0.8 × 0.9 × 0.75 = 9,252 × 0.9 = 8,326.8
    expect(preventativeBenefit(10, 1542, with_({ deadweight: 0.2, displacement: 0.1, attribution: 0.25 }))?.year1_gbp).toBeCloseTo(8326.8, 8);
  });

  it('three years, drop-off 0.5, 3.5%, Green Book convention', () => {
    // by year: 9,252; 9,252 × 0.5 = 4,626; 4,626 × 0.5 = 2,313
    // PV = 9,252/1.035⁰ + 4,626/1.035¹ + 2,313/1.035²
    //    = 9,252 + 4,469.565217 + 2,313/1.071225 (= 2,159.210250)
    //    = 15,880.775467
    const b = preventativeBenefit(10, 1542, with_({ deadweight: 0.2, attribution: 0.25, drop_off: 0.5, years: 3 }));
    expect(b?.by_year_gbp).toHaveLength(3);
    expect(b?.by_year_gbp[0]).toBeCloseTo(9252, 8);
    expect(b?.by_year_gbp[1]).toBeCloseTo(4626, 8);
    expect(b?.by_year_gbp[2]).toBeCloseTo(2313, 8);
    expect(b?.present_value_gbp).toBeCloseTo(15880.775467, 5);
  });

  it('the SROI convention discounts the first year as well', () => {
    // PV = 9,252/1.035 + 4,626/1.035² + 2,313/1.035³ = 15,880.775467 / 1.035 = 15,343.744413
    const b = preventativeBenefit(10, 1542, with_({ deadweight: 0.2, attribution: 0.25, drop_off: 0.5, years: 3, discounting: 'sroi' }));
    expect(b?.year1_gbp).toBeCloseTo(9252, 8);
    expect(b?.present_value_gbp).toBeCloseTo(15343.744413, 5);
    // one year: 12,336 / 1.035 = 11,918.840580
    expect(preventativeBenefit(8, 1542, with_({ discounting: 'sroi' }))?.present_value_gbp).toBeCloseTo(11918.84058, 5);
  });

  it('no drop-off and no discounting: years × year 1', () => {
    // 2 × £500 = £1,000 a year for 5 years at 0% = £5,000
    expect(preventativeBenefit(2, 500, with_({ years: 5, discount_rate: 0 }))?.present_value_gbp).toBe(5000);
  });

  it('drop-off of 1: the benefit lasts one year only', () => {
    expect(preventativeBenefit(2, 500, with_({ years: 3, drop_off: 1 }))?.by_year_gbp).toEqual([1000, 0, 0]);
  });

  it('a project doing worse shows a negative benefit', () => {
    // −4 × £1,542 × 0.8 = −£4,934.40; two years at drop-off 0: −4,934.40 − 4,934.40/1.035 = −9,701.936232
    const b = preventativeBenefit(-4, 1542, with_({ deadweight: 0.2, years: 2 }));
    expect(b?.year1_gbp).toBeCloseTo(-4934.4, 8);
    expect(b?.present_value_gbp).toBeCloseTo(-9701.936232, 5);
  });

  it('no events prevented: £0, a real zero', () => {
    expect(preventativeBenefit(0, 1542, defaultBenefitAssumptions)).toEqual({ year1_gbp: 0, present_value_gbp: 0, by_year_gbp: [0] });
  });

  it('no unit cost or no events figure: null, never 0', () => {
    expect(preventativeBenefit(10, null, defaultBenefitAssumptions)).toBeNull();
    expect(preventativeBenefit(null, 1542, defaultBenefitAssumptions)).toBeNull();
  });

  it('refuses assumptions that make no sense', () => {
    expect(() => preventativeBenefit(1, 1, with_({ deadweight: 1.2 }))).toThrow(RangeError);
    expect(() => preventativeBenefit(1, 1, with_({ years: 0 }))).toThrow(RangeError);
    expect(() => preventativeBenefit(1, 1, with_({ years: 2.5 }))).toThrow(RangeError);
    expect(() => preventativeBenefit(1, 1, with_({ discount_rate: -0.01 }))).toThrow(RangeError);
    expect(benefitAssumptionProblems(with_({ drop_off: Number.NaN, years: 0 }))).toEqual([
      { field: 'drop_off', message: 'must be a share from 0 to 1' },
      { field: 'years', message: 'must be a whole number from 1' },
    ]);
    expect(benefitAssumptionProblems(defaultBenefitAssumptions)).toEqual([]);
  });
});

describe('SROI ratio and net present value', () => {
  it('against the money put in', () => {
    // £15,880.78 of benefit for £5,000: ratio 3.176155 (£3.18 per £1), NPV £10,880.78
    expect(sroiRatio(15880.775467, 5000)).toBeCloseTo(3.1761551, 7);
    expect(netPresentValue(15880.775467, 5000)).toBeCloseTo(10880.775467, 6);
  });

  it('a negative benefit gives a negative ratio and NPV below minus the inputs', () => {
    expect(sroiRatio(-2000, 4000)).toBe(-0.5);
    expect(netPresentValue(-2000, 4000)).toBe(-6000);
  });

  it('no inputs, £0 of inputs or no benefit figure', () => {
    expect(sroiRatio(1000, 0)).toBeNull();
    expect(sroiRatio(1000, null)).toBeNull();
    expect(sroiRatio(null, 1000)).toBeNull();
    expect(netPresentValue(1000, 0)).toBe(1000);
    expect(netPresentValue(1000, null)).toBeNull();
    expect(netPresentValue(null, 1000)).toBeNull();
  });
});

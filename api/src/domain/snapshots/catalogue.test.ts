import { describe, expect, it } from 'vitest';
import type { ObservationInput } from '@firstmile/schema';
import { catalogueProblems, figureOf, type CatalogueMetric } from './catalogue.ts';

const proportion: CatalogueMetric = { key: 'reoffending_12m', kind: 'proportion', archived: false };
const count: CatalogueMetric = { key: 'people_supported', kind: 'count', archived: false };
const score: CatalogueMetric = { key: 'wellbeing_change', kind: 'score', archived: false };
const obs = (o: Partial<ObservationInput> & { metric_key: string }): ObservationInput => ({ disaggregation: {}, ...o });

describe('catalogueProblems', () => {
  it('accepts what suits the metric', () => {
    expect(catalogueProblems(obs({ metric_key: 'reoffending_12m', numerator: 12, denominator: 80 }), proportion)).toEqual([]);
    expect(catalogueProblems(obs({ metric_key: 'reoffending_12m', value: 0.15 }), proportion)).toEqual([]);
    expect(catalogueProblems(obs({ metric_key: 'people_supported', value: 80 }), count)).toEqual([]);
    expect(catalogueProblems(obs({ metric_key: 'wellbeing_change', value: -2.5, comparator: { value: -1, kind: 'baseline', source: 'own' } }), score)).toEqual([]);
  });

  it('refuses unknown and archived metrics', () => {
    expect(catalogueProblems(obs({ metric_key: 'happiness', value: 1 }), undefined)).toEqual([
      { path: ['metric_key'], message: '"happiness" is not a metric in the catalogue' },
    ]);
    expect(catalogueProblems(obs({ metric_key: 'people_supported', value: 1 }), { ...count, archived: true })).toEqual([
      { path: ['metric_key'], message: '"people_supported" is archived and takes no new figures' },
    ]);
  });

  it('keeps proportions and their comparators between 0 and 1', () => {
    expect(catalogueProblems(obs({ metric_key: 'reoffending_12m', value: 15, comparator: { value: 25, kind: 'national_average', source: 'MoJ' } }), proportion)).toEqual([
      { path: ['value'], message: 'must lie between 0 and 1 for a proportion (or give numerator and denominator)' },
      { path: ['comparator', 'value'], message: 'must lie between 0 and 1 for a proportion' },
    ]);
  });

  it('takes counts as whole, non-negative values without a numerator', () => {
    expect(catalogueProblems(obs({ metric_key: 'people_supported', numerator: 3, denominator: 4 }), count)).toEqual([
      { path: ['numerator'], message: 'people_supported is a count: give a value, not a numerator and denominator' },
    ]);
    expect(catalogueProblems(obs({ metric_key: 'people_supported', value: 2.5 }), count)).toEqual([
      { path: ['value'], message: 'must be a whole number for a count' },
    ]);
    expect(catalogueProblems(obs({ metric_key: 'people_supported', value: -3, comparator: { value: -1, kind: 'target', source: 'plan' } }), count)).toEqual([
      { path: ['value'], message: 'must not be negative for a count' },
      { path: ['comparator', 'value'], message: 'must not be negative for a count' },
    ]);
  });
});

describe('figureOf', () => {
  it('is the value, or the derived rate, or null for 0/0', () => {
    expect(figureOf({ value: 3 })).toBe(3);
    expect(figureOf({ numerator: 12, denominator: 80 })).toBe(0.15);
    expect(figureOf({ numerator: 0, denominator: 0 })).toBeNull();
  });
});

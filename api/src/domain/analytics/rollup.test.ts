import { defaultBenefitAssumptions } from '@firstmile/etl';
import { describe, expect, it } from 'vitest';
import { calendarBucket, rollupPeriod } from './periods.ts';
import { rollUpOutcomes, type MetricInfo, type OutcomeFact } from './rollup.ts';

const OWN = 'own-org';
const OTHER = 'other-org';

const fact = (over: Partial<OutcomeFact>): OutcomeFact => ({
  organisation_id: OWN, project_id: 'p1', place_code: 'PLACE-1', metric_key: 'reoffending_12m',
  period_start: '2024-04-01', period_end: '2024-04-30', value: null, numerator: null, denominator: null,
  comparator_value: null, comparator_kind: null, comparator_source: null, flags: [], stories: 0, ...over,
});

const metrics = new Map<string, MetricInfo>([
  ['reoffending_12m', { kind: 'proportion', polarity: 'lower_is_better', unit_cost_gbp: null, unit_cost_source: null }],
  ['sustained_employment', { kind: 'proportion', polarity: 'higher_is_better', unit_cost_gbp: 1000, unit_cost_source: 'test' }],
  ['non_elective_admissions', { kind: 'count', polarity: 'lower_is_better', unit_cost_gbp: 1542, unit_cost_source: 'GM' }],
  ['wellbeing', { kind: 'score', polarity: 'higher_is_better', unit_cost_gbp: null, unit_cost_source: null }],
]);

const options = { grain: 'month' as const, groupBy: 'project' as const, assumptions: defaultBenefitAssumptions, organisationId: OWN, exact: false };

describe('periods', () => {
  it('puts a date in its calendar month, quarter and year', () => {
    expect(calendarBucket('2024-02-15', 'month')).toEqual({ start: '2024-02-01', end: '2024-02-29' });
    expect(calendarBucket('2024-11-30', 'quarter')).toEqual({ start: '2024-10-01', end: '2024-12-31' });
    expect(calendarBucket('2023-06-01', 'year')).toEqual({ start: '2023-01-01', end: '2023-12-31' });
  });

  it('keeps a period that runs past the bucket of its start, even one month long', () => {
    expect(rollupPeriod({ start: '2024-01-15', end: '2024-02-14' }, 'month')).toEqual({ start: '2024-01-15', end: '2024-02-14', exceeds: true });
    expect(rollupPeriod({ start: '2024-01-15', end: '2024-02-14' }, 'quarter')).toEqual({ start: '2024-01-01', end: '2024-03-31', exceeds: false });
    expect(rollupPeriod({ start: '2024-04-01', end: '2025-03-31' }, 'year')).toEqual({ start: '2024-04-01', end: '2025-03-31', exceeds: true });
  });
});

describe('rollUpOutcomes', () => {
  it("protects a row that mixes the viewer's own project with another organisation's", () => {
    const facts = [
      fact({ project_id: 'p1', numerator: 3, denominator: 40, comparator_value: 0.2, comparator_kind: 'national_average' }),
      fact({ project_id: 'p2', organisation_id: OTHER, numerator: 4, denominator: 41, comparator_value: 0.2, comparator_kind: 'national_average' }),
    ];
    const [own, other] = rollUpOutcomes(facts, metrics, options);
    // Each project alone: p1 is the viewer's own (exact 3 of 40), p2 is not (4 withheld, 41 → 40).
    expect([own!.numerator, own!.denominator, own!.suppressed_fields]).toEqual([3, 40, []]);
    expect([other!.numerator, other!.denominator]).toEqual([null, 40]);
    // Together: 7 of 81 → 7 withheld, 81 → 80; the rate, interval, difference and events with it.
    const [mixed] = rollUpOutcomes(facts, metrics, { ...options, groupBy: 'portfolio' });
    expect(mixed).toMatchObject({
      numerator: null, denominator: 80, rate: null, ci_low: null, difference: null, events_prevented: null, projects: 2,
      suppressed_fields: ['value', 'numerator', 'rate', 'ci_low', 'ci_high', 'difference', 'relative_difference', 'events_prevented'],
    });
    // The same rows for an admin: exact, 7 of 81; events (0.2 − 7/81) × 81 = 16.2 − 7 = 9.2.
    const [admin] = rollUpOutcomes(facts, metrics, { ...options, groupBy: 'portfolio', exact: true });
    expect([admin!.numerator, admin!.denominator]).toEqual([7, 81]);
    expect(admin!.events_prevented).toBeCloseTo(9.2, 12);
  });

  it('flips the sign of events prevented when higher is better, and monetises them', () => {
    // 60 of 200 in work against 0.25: (0.30 − 0.25) × 200 = 10 more; 10 × £1,000 = £10,000.
    const [row] = rollUpOutcomes([fact({ metric_key: 'sustained_employment', numerator: 60, denominator: 200, comparator_value: 0.25, comparator_kind: 'target' })], metrics, { ...options, exact: true });
    expect(row!.events_prevented).toBeCloseTo(10, 12);
    expect(row!.benefit_year1_gbp).toBeCloseTo(10000, 9);
    expect(row!.evidence_strength).toBe('descriptive');
  });

  it('names mixed comparator kinds, grades by the weakest, and counts events only against control groups', () => {
    const facts = [
      fact({ metric_key: 'non_elective_admissions', value: 40, comparator_value: 50, comparator_kind: 'control_group' }),
      fact({ metric_key: 'non_elective_admissions', project_id: 'p2', value: 30, comparator_value: 32, comparator_kind: 'national_average' }),
    ];
    const [row] = rollUpOutcomes(facts, metrics, { ...options, groupBy: 'portfolio', exact: true });
    // 70 against 82: a difference of −12, but only p1's matched comparison is a counterfactual: 50 − 40 = 10.
    expect(row).toMatchObject({
      value: 70, comparator_value: 82, comparator_kind: null, evidence_strength: 'descriptive', difference: -12, events_prevented: 10,
      benefit_year1_gbp: 15420, flags: ['comparator_kinds_mixed', 'events_prevented_partial'],
    });
  });

  it('averages scores over periods, saying so, and withholds no score', () => {
    const facts = [
      fact({ metric_key: 'wellbeing', value: 6, comparator_value: 5, comparator_kind: 'baseline' }),
      fact({ metric_key: 'wellbeing', period_start: '2024-05-01', period_end: '2024-05-31', value: 8, comparator_value: 5, comparator_kind: 'baseline' }),
    ];
    const [row] = rollUpOutcomes(facts, metrics, { ...options, grain: 'quarter' });
    expect(row).toMatchObject({ value: 7, comparator_value: 5, difference: 2, events_prevented: null, evidence_strength: 'trend', flags: ['value_is_mean'], suppressed_fields: [] });
  });

  it('does not pool a proportion given without its counts, and keeps 0 of n as 0', () => {
    const facts = [
      fact({ value: 0.1 }),
      fact({ period_start: '2024-05-01', period_end: '2024-05-31', numerator: 0, denominator: 30 }),
    ];
    const months = rollUpOutcomes(facts, metrics, options);
    expect(months.map((r) => [r.value, r.numerator, r.denominator, r.ci_low])).toEqual([[0.1, null, null, null], [0, 0, 30, 0]]);
    const [quarter] = rollUpOutcomes(facts, metrics, { ...options, grain: 'quarter' });
    expect(quarter).toMatchObject({ value: null, numerator: null, flags: ['counts_incomplete'] });
  });

  it('keeps only the rolled-up periods inside from and to', () => {
    const facts = [fact({ numerator: 10, denominator: 20 }), fact({ period_start: '2024-07-01', period_end: '2024-07-31', numerator: 10, denominator: 20 })];
    expect(rollUpOutcomes(facts, metrics, { ...options, from: '2024-05-01' }).map((r) => r.period_start)).toEqual(['2024-07-01']);
    // A quarter overlapping `to` is kept whole.
    expect(rollUpOutcomes(facts, metrics, { ...options, grain: 'year', to: '2024-02-01' }).map((r) => r.denominator)).toEqual([40]);
  });
});

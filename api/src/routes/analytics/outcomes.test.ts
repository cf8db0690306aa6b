import { runEtl } from '@firstmile/etl';
import { DidResult, OutcomesBody } from '@firstmile/schema';
import { createTestDatabase, pgTargets, type TestDatabase } from '@firstmile/schema/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type FirstmileApp } from '../../app.ts';
import { call, createTenants, type Tenants } from '../../testing/index.ts';

// The world, as submitted through the API:
//
// B's project "Talk First" (DEMO-NORTHFIELD; the funder funds it for 2024–2025; the commissioner holds its place)
//   2023-12         reoffending_12m 9 of 90 against a national average of 0.5 (before the funding)
//   2024-04         reoffending_12m 17 of 208 against a national average of 0.49
//                   non_elective_admissions 43 against a matched control group's 60
//                   ae_attendances 6 against a control group's 9 (a small count)
//                   stories: one for funders and one internal linked to reoffending, one public to admissions
//   2024-05         reoffending_12m 10 of 100 against 0.40; non_elective_admissions 30 against a control group's 35
//   2024-06         reoffending_12m 5 of 50 with no comparator; non_elective_admissions 12 with none
//   2024-07…09      reoffending_12m 15 of 150 against 0.45 (a quarter: longer than a month)
// A's project "Through the Gate" (DEMO-HARBOUR; nobody funds it)
//   2024-04         reoffending_12m 150 of 300 against 0.49: doing worse than the comparator
// A's second project "Northfield Outreach" (DEMO-NORTHFIELD, so B's commissioner sees it too)
//   2024-04         reoffending_12m 8 of 40 against 0.35

const NATIONAL = 'Proven reoffending statistics (test)';
const MATCHED = 'Matched cohort, hospital episode statistics (test)';
const GM = 'Greater Manchester Combined Authority (New Economy) Unit Cost Database, v1.4 (March 2015), HE7.0.2, 2013/14 prices';
const DEFAULTS = { deadweight: 0, displacement: 0, attribution: 0, drop_off: 0, years: 1, discount_rate: 0.035, discounting: 'green_book' };

const proportion = (metric_key: string, numerator: number, denominator: number, comparator?: [number, string, string]) => ({
  metric_key, numerator, denominator,
  ...(comparator ? { comparator: { value: comparator[0], kind: comparator[1], source: comparator[2] } } : {}),
});
const count = (metric_key: string, value: number, comparator?: [number, string, string]) => ({
  metric_key, value,
  ...(comparator ? { comparator: { value: comparator[0], kind: comparator[1], source: comparator[2] } } : {}),
});
const story = (title: string, scope: 'internal' | 'funders' | 'public', linked: string[]) => ({
  title, body: 'Somebody waited for him at the gate, and kept waiting every week after.', themes: ['trust'], linked_metrics: linked,
  storyteller_role: 'practitioner', consent: { status: 'given', scope, recorded_on: '2024-05-01' }, anonymised: true,
});

type Row = Record<string, any>;

describe.each(pgTargets())('GET /v1/outcomes on the $name PostgreSQL', (target) => {
  let t: TestDatabase;
  let app: FirstmileApp;
  let plain: FirstmileApp;
  let w: Tenants;
  let projectA2: string;

  const submit = async (key: string, projectId: string, period_start: string, period_end: string, observations: unknown[], stories: unknown[] = []) => {
    const response = await call(app, 'POST', `/v1/projects/${projectId}/snapshots`, { key, body: { period_start, period_end, observations, stories } });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
  };

  /** The same request with row-level security on and off: both walls must give the same answer. */
  const get = async (key: string, path: string) => {
    const withRls = await call(app, 'GET', path, { key });
    const without = await call(plain, 'GET', path, { key });
    expect([without.status, without.body], `${path} without row-level security`).toEqual([withRls.status, withRls.body]);
    return withRls;
  };
  const outcomes = async (key: string, query: string): Promise<Row[]> => {
    const response = await get(key, `/v1/outcomes?${query}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    // Every answer is what the contract (and so /openapi.json) says it is.
    return OutcomesBody.parse(response.body).outcomes;
  };
  const one = (rows: Row[], where: Row): Row => {
    const found = rows.filter((r) => Object.entries(where).every(([k, v]) => r[k] === v));
    expect(found, JSON.stringify(where)).toHaveLength(1);
    return found[0]!;
  };

  beforeAll(async () => {
    t = await createTestDatabase(target);
    app = createApp({ handle: t });
    plain = createApp({ handle: t, rowLevelSecurity: false });
    w = await createTenants(t.db);
    projectA2 = (await t.db.insertInto('projects')
      .values({ organisation_id: w.ids.providerA, name: 'Northfield Outreach', sector: 'justice', place_code: 'DEMO-NORTHFIELD', started_on: '2024-01-01' })
      .returning('id').executeTakeFirstOrThrow()).id;
    const B = w.keys.submitterB;
    await submit(B, w.ids.projectB, '2023-12-01', '2023-12-31', [proportion('reoffending_12m', 9, 90, [0.5, 'national_average', NATIONAL])]);
    await submit(B, w.ids.projectB, '2024-04-01', '2024-04-30', [
      proportion('reoffending_12m', 17, 208, [0.49, 'national_average', NATIONAL]),
      count('non_elective_admissions', 43, [60, 'control_group', MATCHED]),
      count('ae_attendances', 6, [9, 'control_group', MATCHED]),
    ], [
      story('For funders', 'funders', ['reoffending_12m']),
      story('Internal', 'internal', ['reoffending_12m']),
      story('Public', 'public', ['non_elective_admissions']),
    ]);
    await submit(B, w.ids.projectB, '2024-05-01', '2024-05-31', [
      proportion('reoffending_12m', 10, 100, [0.4, 'national_average', NATIONAL]),
      count('non_elective_admissions', 30, [35, 'control_group', MATCHED]),
    ]);
    await submit(B, w.ids.projectB, '2024-06-01', '2024-06-30', [proportion('reoffending_12m', 5, 50), count('non_elective_admissions', 12)]);
    await submit(B, w.ids.projectB, '2024-07-01', '2024-09-30', [proportion('reoffending_12m', 15, 150, [0.45, 'national_average', NATIONAL])]);
    await submit(w.keys.submitterA, w.ids.projectA, '2024-04-01', '2024-04-30', [proportion('reoffending_12m', 150, 300, [0.49, 'national_average', NATIONAL])]);
    await submit(w.keys.submitterA, projectA2, '2024-04-01', '2024-04-30', [proportion('reoffending_12m', 8, 40, [0.35, 'national_average', NATIONAL])]);
    await runEtl(t.db);
  });
  afterAll(() => t.drop());

  it("shows the owner its exact rate, Wilson interval, comparison and events prevented, worked by hand", async () => {
    const rows = await outcomes(w.keys.submitterB, 'metric=reoffending_12m');
    expect(rows.map((r) => [r.period_start, r.period_end])).toEqual([
      ['2023-12-01', '2023-12-31'], ['2024-04-01', '2024-04-30'], ['2024-05-01', '2024-05-31'], ['2024-06-01', '2024-06-30'],
      // A quarter's figures cannot be split between months: it keeps its own period, flagged.
      ['2024-07-01', '2024-09-30'],
    ]);
    expect(rows[4]!.flags).toEqual(['period_exceeds_grain']);
    const april = rows[1]!;
    // rate = 17/208 = 0.0817308. Wilson, z = 1.959964, z² = 3.841459, n = 208:
    //   centre = p + z²/2n = 0.0817308 + 0.0092343 = 0.0909651
    //   half   = z·√(p(1−p)/n + z²/4n²) = 1.959964 × √(0.00036082 + 0.00002220) = 1.959964 × 0.019571 = 0.038358
    //   scale  = 1 + z²/n = 1.0184686
    //   low = 0.052607 / 1.0184686 = 0.051653; high = 0.129323 / 1.0184686 = 0.126978
    // difference = 0.0817308 − 0.49 = −0.408269; relative = −0.408269 / 0.49 = −0.833202
    // events prevented (lower is better) = (0.49 − 17/208) × 208 = 101.92 − 17 = 84.92
    expect(april).toMatchObject({
      project_id: w.ids.projectB, place_code: 'DEMO-NORTHFIELD', projects: 1, metric_key: 'reoffending_12m', metric_kind: 'proportion',
      polarity: 'lower_is_better', grain: 'month', numerator: 17, denominator: 208,
      comparator_value: 0.49, comparator_kind: 'national_average', comparator_source: NATIONAL, evidence_strength: 'descriptive',
      unit_cost_gbp: null, unit_cost_source: null, benefit_year1_gbp: null, benefit_present_value_gbp: null,
      assumptions: DEFAULTS, funnel: null, flags: [], suppressed_fields: [],
    });
    expect(april.rate).toBeCloseTo(0.0817308, 6);
    expect(april.value).toBe(april.rate);
    expect(april.ci_low).toBeCloseTo(0.051653, 5);
    expect(april.ci_high).toBeCloseTo(0.126978, 5);
    expect(april.difference).toBeCloseTo(-0.408269, 5);
    expect(april.relative_difference).toBeCloseTo(-0.833202, 5);
    expect(april.events_prevented).toBeCloseTo(84.92, 9);
    // Two stories explain it; B may read both (its own), whatever their scope.
    expect(april.stories).toBe(2);
  });

  it('monetises a count against a matched control group, and every benefit parameter changes the benefit and is echoed', async () => {
    const april = one(await outcomes(w.keys.submitterB, 'metric=non_elective_admissions'), { period_start: '2024-04-01' });
    // events prevented = 60 − 43 = 17; year 1 = 17 × £1,542 = £26,214; one year, first undiscounted: PV = £26,214
    expect(april).toMatchObject({
      metric_kind: 'count', value: 43, numerator: null, denominator: null, rate: null, ci_low: null, ci_high: null,
      comparator_value: 60, comparator_kind: 'control_group', evidence_strength: 'matched', difference: -17,
      events_prevented: 17, unit_cost_gbp: 1542, unit_cost_source: GM, benefit_year1_gbp: 26214, benefit_present_value_gbp: 26214, stories: 1,
    });
    expect(april.relative_difference).toBeCloseTo(-17 / 60, 12);

    const params = 'deadweight=0.25&attribution=0.2&drop_off=0.5&years=3&discount_rate=0.035';
    // year 1 = 17 × 1542 × (1 − 0.25) × (1 − 0) × (1 − 0.2) = 26214 × 0.6 = 15,728.40; year 2 = 7,864.20; year 3 = 3,932.10
    // Green Book: 15728.40 + 7864.20 / 1.035 + 3932.10 / 1.035² = 15728.40 + 7598.26 + 3670.66 = 26,997.32
    const greenBook = one(await outcomes(w.keys.submitterB, `metric=non_elective_admissions&${params}`), { period_start: '2024-04-01' });
    expect(greenBook.benefit_year1_gbp).toBeCloseTo(15728.4, 6);
    expect(greenBook.benefit_present_value_gbp).toBeCloseTo(26997.32, 2);
    expect(greenBook.assumptions).toEqual({ deadweight: 0.25, displacement: 0, attribution: 0.2, drop_off: 0.5, years: 3, discount_rate: 0.035, discounting: 'green_book' });
    // SROI guide: every year discounted: 15728.40 / 1.035 + 7864.20 / 1.035² + 3932.10 / 1.035³ = 15196.52 + 7341.32 + 3546.53 = 26,084.37
    const sroi = one(await outcomes(w.keys.submitterB, `metric=non_elective_admissions&${params}&discounting=sroi`), { period_start: '2024-04-01' });
    expect(sroi.benefit_present_value_gbp).toBeCloseTo(26084.37, 2);
    expect(sroi.assumptions.discounting).toBe('sroi');
    // displacement 1: nothing is left.
    const displaced = one(await outcomes(w.keys.submitterB, 'metric=non_elective_admissions&displacement=1'), { period_start: '2024-04-01' });
    expect([displaced.benefit_year1_gbp, displaced.assumptions.displacement]).toEqual([0, 1]);
    // Against no comparator (June) there are no events prevented, so no benefit: null, not £0.
    const june = one(await outcomes(w.keys.submitterB, 'metric=non_elective_admissions'), { period_start: '2024-06-01' });
    expect(june).toMatchObject({ value: 12, comparator_value: null, events_prevented: null, benefit_year1_gbp: null, unit_cost_gbp: 1542 });
  });

  it('shows a project doing worse than its comparator a negative figure', async () => {
    const [row] = await outcomes(w.keys.submitterA, `project=${w.ids.projectA}`);
    // 150 of 300 = 0.5 against 0.49: (0.49 − 0.5) × 300 = −3
    expect(row).toMatchObject({ rate: 0.5, numerator: 150, denominator: 300, suppressed_fields: [] });
    expect(row!.events_prevented).toBeCloseTo(-3, 9);
    expect(row!.difference).toBeCloseTo(0.01, 12);
  });

  it('shows a funder the periods it funds only, with small numbers protected and everything recomputed from the rounded counts', async () => {
    const rows = await outcomes(w.keys.funder, `project=${w.ids.projectB}`);
    // December 2023 was before the funding began.
    expect([...new Set(rows.map((r) => r.period_start))]).toEqual(['2024-04-01', '2024-05-01', '2024-06-01', '2024-07-01']);
    // 17 of 208 → 15 of 210: rate 0.0714286, Wilson from 15 of 210; events (0.49 − 15/210) × 210 = 102.9 − 15 = 87.9
    const reoffending = one(rows, { metric_key: 'reoffending_12m', period_start: '2024-04-01' });
    expect(reoffending).toMatchObject({ numerator: 15, denominator: 210, comparator_value: 0.49, suppressed_fields: [] });
    expect(reoffending.rate).toBeCloseTo(15 / 210, 12);
    expect(reoffending.ci_low).toBeCloseTo(0.043761, 5);
    expect(reoffending.ci_high).toBeCloseTo(0.114494, 5);
    expect(reoffending.events_prevented).toBeCloseTo(87.9, 9);
    // Only the story for funders; the internal one stays with B.
    expect(reoffending.stories).toBe(1);
    // 43 → 45: events 60 − 45 = 15, benefit 15 × 1542 = £23,130
    expect(one(rows, { metric_key: 'non_elective_admissions', period_start: '2024-04-01' })).toMatchObject({
      value: 45, difference: -15, events_prevented: 15, benefit_year1_gbp: 23130, suppressed_fields: [], stories: 1,
    });
    // 6 is withheld, and with it everything computed from it; the control group's 9 is a published figure.
    expect(one(rows, { metric_key: 'ae_attendances' })).toMatchObject({
      value: null, comparator_value: 9, difference: null, relative_difference: null, events_prevented: null,
      benefit_year1_gbp: null, benefit_present_value_gbp: null, unit_cost_gbp: 109,
      suppressed_fields: ['value', 'difference', 'relative_difference', 'events_prevented', 'benefit_year1_gbp', 'benefit_present_value_gbp'],
    });
    // 5 of 50: the numerator is withheld and so is the rate; 50 stays.
    expect(one(rows, { metric_key: 'reoffending_12m', period_start: '2024-06-01' })).toMatchObject({
      numerator: null, denominator: 50, value: null, rate: null, ci_low: null, ci_high: null,
      suppressed_fields: ['value', 'numerator', 'rate', 'ci_low', 'ci_high'],
    });
    // The owner's own view of the same row is exact.
    expect(one(await outcomes(w.keys.submitterB, `project=${w.ids.projectB}`), { metric_key: 'ae_attendances' })).toMatchObject({
      value: 6, events_prevented: 3, benefit_year1_gbp: 327, suppressed_fields: [],
    });
  });

  it('rolls months into quarters and years by summing raw counts, and protects the totals, not the cells', async () => {
    // Q2 2024 for B: 17 + 10 + 5 = 32 of 208 + 100 + 50 = 358 → 0.0893855.
    // Comparator over the months that have one, weighted by denominator: (0.49 × 208 + 0.40 × 100) / 308 = 141.92 / 308 = 0.460779.
    // Events prevented over those months: 141.92 − (17 + 10) = 114.92 (= 84.92 + 30, the sum of the months').
    const owner = one(await outcomes(w.keys.submitterB, 'metric=reoffending_12m&grain=quarter&from=2024-04-01&to=2024-06-30'), { period_start: '2024-04-01' });
    expect(owner).toMatchObject({ period_end: '2024-06-30', grain: 'quarter', numerator: 32, denominator: 358, comparator_kind: 'national_average', flags: ['comparator_partial', 'events_prevented_partial'] });
    expect(owner.rate).toBeCloseTo(0.0893855, 6);
    expect(owner.comparator_value).toBeCloseTo(0.460779, 6);
    expect(owner.difference).toBeCloseTo(0.0893855 - 0.460779, 6);
    expect(owner.events_prevented).toBeCloseTo(114.92, 9);

    // The funder: 32 → 30 and 358 → 360 (June's withheld 5 is inside the total, as it should be);
    // events from the rounded counts of the compared months: 27 → 25, 308 → 310: 0.460779 × 310 − 25 = 117.8416
    const funder = one(await outcomes(w.keys.funder, 'metric=reoffending_12m&grain=quarter&from=2024-04-01&to=2024-06-30'), { period_start: '2024-04-01' });
    expect(funder).toMatchObject({ numerator: 30, denominator: 360, suppressed_fields: [] });
    expect(funder.rate).toBeCloseTo(30 / 360, 12);
    expect(funder.ci_low).toBeCloseTo(0.0589946, 6);
    expect(funder.events_prevented).toBeCloseTo(117.8416, 4);

    // The July–September snapshot fits its quarter: no flag there.
    const quarters = await outcomes(w.keys.submitterB, 'metric=reoffending_12m&grain=quarter');
    expect(quarters.map((r) => [r.period_start, r.period_end, r.flags])).toEqual([
      ['2023-10-01', '2023-12-31', []],
      ['2024-04-01', '2024-06-30', ['comparator_partial', 'events_prevented_partial']],
      ['2024-07-01', '2024-09-30', []],
    ]);

    // 2024: 17 + 10 + 5 + 15 = 47 of 508; comparator (101.92 + 40 + 0.45 × 150) / 458 = 209.42 / 458 = 0.457249;
    // events over the compared periods 209.42 − (17 + 10 + 15) = 167.42
    const year = one(await outcomes(w.keys.submitterB, 'metric=reoffending_12m&grain=year&from=2024-01-01'), { project_id: w.ids.projectB });
    expect(year).toMatchObject({ period_start: '2024-01-01', period_end: '2024-12-31', numerator: 47, denominator: 508, stories: 2 });
    expect(year.comparator_value).toBeCloseTo(0.457249, 6);
    expect(year.events_prevented).toBeCloseTo(167.42, 9);

    // Counts: Q2 admissions 43 + 30 + 12 = 85; control groups only in April and May (60 + 35 = 95):
    // a sum over three months is not set against a comparator over two, so no difference, but the
    // events prevented are the compared months' own: (60 − 43) + (35 − 30) = 22, £33,924.
    const admissions = one(await outcomes(w.keys.submitterB, 'metric=non_elective_admissions&grain=quarter'), { period_start: '2024-04-01' });
    expect(admissions).toMatchObject({
      value: 85, comparator_value: 95, difference: null, events_prevented: 22, benefit_year1_gbp: 33924,
      flags: ['comparator_partial', 'events_prevented_partial'], stories: 1,
    });
  });

  it('shows a commissioner its place only, protected, with funnel limits drawn from the rounded counts', async () => {
    const rows = await outcomes(w.keys.commissioner, 'metric=reoffending_12m&from=2024-04-01&to=2024-04-30');
    // B's and A's Northfield projects; A's Harbour project is not in its place.
    expect(rows.map((r) => r.project_id).sort()).toEqual([w.ids.projectB, projectA2].sort());
    const b = one(rows, { project_id: w.ids.projectB });
    const a2 = one(rows, { project_id: projectA2 });
    // B: 15 of 210; A2: 8 of 40 → 10 of 40. Funnel p0 = 25 / 250 = 0.1.
    // A2, n = 40: √(0.1 × 0.9 / 40) = 0.047434; 95%: 0.1 ± 1.959964 × 0.047434 = [0.007031, 0.192969]; 0.25 lies outside.
    //   99.8%: 0.1 ± 3.090232 × 0.047434 = [−0.0466 → 0, 0.246583]; 0.25 lies outside that too.
    // B, n = 210: √(0.09 / 210) = 0.020702; 95%: [0.059425, 0.140575]; 0.0714 lies inside.
    expect(a2).toMatchObject({ numerator: 10, denominator: 40, rate: 0.25, stories: 0 });
    expect(a2.funnel).toMatchObject({ p0: 0.1, n: 40, lower998: 0, outside95: true, outside998: true });
    expect(a2.funnel.lower95).toBeCloseTo(0.007031, 6);
    expect(a2.funnel.upper95).toBeCloseTo(0.192969, 6);
    expect(a2.funnel.upper998).toBeCloseTo(0.246583, 6);
    expect(b.funnel).toMatchObject({ p0: 0.1, n: 210, outside95: false, outside998: false });
    expect(b.funnel.lower95).toBeCloseTo(0.059425, 6);
    // A story for funders is not for commissioners.
    expect(b.stories).toBe(0);
    // Not funded, still in its place: the commissioner sees December 2023, protected (9 → 10 of 90).
    expect(one(await outcomes(w.keys.commissioner, `project=${w.ids.projectB}&to=2023-12-31`), {})).toMatchObject({ numerator: 10, denominator: 90 });
    // A project elsewhere is not found.
    expect((await get(w.keys.commissioner, `/v1/outcomes?project=${w.ids.projectA}`)).status).toBe(404);
  });

  it("shows another provider nothing of B's, and its own organisation's projects exactly", async () => {
    for (const key of [w.keys.analystA, w.keys.submitterA]) {
      const rows = await outcomes(key, '');
      expect(new Set(rows.map((r) => r.project_id))).toEqual(new Set([w.ids.projectA, projectA2]));
      expect(one(rows, { project_id: projectA2 })).toMatchObject({ numerator: 8, denominator: 40, rate: 0.2, suppressed_fields: [] });
      // Two of its own projects report April: a funnel, from exact counts (p0 = 158 / 340).
      expect(one(rows, { project_id: projectA2 }).funnel.p0).toBeCloseTo(158 / 340, 12);
      const asked = await get(key, `/v1/outcomes?project=${w.ids.projectB}`);
      expect(asked.status).toBe(404);
      expect(JSON.stringify(asked.body)).not.toContain('Talk First');
      expect(await outcomes(key, 'place=DEMO-NORTHFIELD&group_by=place')).toHaveLength(1);
      expect((await get(key, `/v1/outcomes/did?project=${w.ids.projectB}&metric=reoffending_12m&a=2024-04-01&b=2024-05-01`)).status).toBe(404);
    }
  });

  it('shows an admin everything exactly, with funnel limits across all projects', async () => {
    const rows = await outcomes(w.keys.admin, 'metric=reoffending_12m&from=2024-04-01&to=2024-04-30');
    expect(rows).toHaveLength(3);
    expect(one(rows, { project_id: w.ids.projectB })).toMatchObject({ numerator: 17, denominator: 208, stories: 2, suppressed_fields: [] });
    // p0 = (150 + 8 + 17) / (300 + 40 + 208) = 175 / 548 = 0.319343
    // B, n = 208: √(0.319343 × 0.680657 / 208) = 0.032326; 95%: 0.319343 ± 0.063359 = [0.255984, 0.382702]
    const funnel = one(rows, { project_id: w.ids.projectB }).funnel;
    expect(funnel.p0).toBeCloseTo(175 / 548, 12);
    expect(funnel.lower95).toBeCloseTo(0.255984, 6);
    expect(funnel.upper95).toBeCloseTo(0.382702, 6);
    expect(funnel.outside95).toBe(true);
    expect(one(rows, { project_id: projectA2 }).funnel).toMatchObject({ n: 40, outside95: false });
  });

  it('groups by portfolio (all in view, or one funder\'s) and by place, summing before protecting', async () => {
    // The admin's April portfolio: 150 + 8 + 17 = 175 of 548; comparator (0.49 × 300 + 0.35 × 40 + 0.49 × 208) / 548 = 262.92 / 548;
    // events = 262.92 − 175 = 87.92 (= −3 + 6 + 84.92)
    const all = one(await outcomes(w.keys.admin, 'metric=reoffending_12m&group_by=portfolio&from=2024-04-01&to=2024-04-30'), {});
    expect(all).toMatchObject({ project_id: null, place_code: null, projects: 3, numerator: 175, denominator: 548, funnel: null, stories: 2 });
    expect(all.comparator_value).toBeCloseTo(262.92 / 548, 12);
    expect(all.events_prevented).toBeCloseTo(87.92, 9);
    // With funder=: only the funder's project, for its funded dates (so no December 2023).
    const funded = await outcomes(w.keys.admin, `metric=reoffending_12m&group_by=portfolio&funder=${w.ids.funder}&grain=year`);
    expect(funded.map((r) => [r.period_start, r.projects, r.place_code, r.numerator, r.denominator])).toEqual([['2024-01-01', 1, 'DEMO-NORTHFIELD', 47, 508]]);
    // The funder's own portfolio, protected: 47 → 45, 508 → 510.
    expect((await outcomes(w.keys.funder, `metric=reoffending_12m&group_by=portfolio&funder=${w.ids.funder}&grain=year`)).map((r) => [r.numerator, r.denominator])).toEqual([[45, 510]]);
    // Another funder's portfolio is none of this funder's business.
    expect(await outcomes(w.keys.funder, `group_by=portfolio&funder=${w.ids.commissioner}`)).toEqual([]);

    // The commissioner's place, April: B 17 of 208 and A2 8 of 40 are summed raw, 25 of 248, then
    // rounded: 25 of 250 (not 15 + 10 of 210 + 40). Comparator (101.92 + 14) / 248 = 0.467419;
    // events from the rounded counts: 0.467419 × 250 − 25 = 91.8548
    const place = one(await outcomes(w.keys.commissioner, 'metric=reoffending_12m&group_by=place&from=2024-04-01&to=2024-04-30'), {});
    expect(place).toMatchObject({ project_id: null, place_code: 'DEMO-NORTHFIELD', projects: 2, numerator: 25, denominator: 250, rate: 0.1 });
    expect(place.comparator_value).toBeCloseTo(115.92 / 248, 12);
    expect(place.events_prevented).toBeCloseTo(91.8548, 4);
    // A's analyst, grouping its own two projects by place: exact.
    const own = await outcomes(w.keys.analystA, 'metric=reoffending_12m&group_by=place');
    expect(own.map((r) => [r.place_code, r.numerator, r.denominator])).toEqual([['DEMO-HARBOUR', 150, 300], ['DEMO-NORTHFIELD', 8, 40]]);
  });

  it('refuses bad parameters with 422, naming each field', async () => {
    const response = await get(w.keys.funder, '/v1/outcomes?grain=week&group_by=funder&deadweight=1.5&years=0&discount_rate=x&discounting=nope&project=abc&colour=red');
    expect(response.status).toBe(422);
    expect(response.body.error.details.map((d: { path: string }) => d.path)).toEqual([
      'project', 'grain', 'group_by', 'deadweight', 'years', 'discount_rate', 'discounting', 'colour',
    ]);
    const unauthenticated = await call(app, 'GET', '/v1/outcomes');
    expect(unauthenticated.status).toBe(401);
  });

  it('answers odd query values with 200 or a 422, never a 500', async () => {
    const odd = ['', ' ', '%00', '%F0%9F%98%80', '1e3', 'NaN', 'Infinity', '-0', '0.', '.5', '0x1', '99999999999999999999', "'%3B DROP TABLE projects%3B--", 'x'.repeat(5000), '2024-02-30', 'null', '[]'];
    const routes: Array<[string, string[]]> = [
      ['/v1/outcomes', ['project', 'funder', 'place', 'metric', 'from', 'to', 'grain', 'group_by', 'deadweight', 'displacement', 'attribution', 'drop_off', 'years', 'discount_rate', 'discounting']],
      ['/v1/outcomes/did', ['project', 'metric', 'a', 'b']],
      ['/v1/system', ['place', 'service', 'from', 'to', 'grain', 'level']],
    ];
    for (const [path, names] of routes) {
      for (const name of names) {
        for (const value of odd) {
          const response = await call(app, 'GET', `${path}?${name}=${value}`, { key: w.keys.funder });
          expect([200, 404, 422], `${path}?${name}=${value.slice(0, 40)}: ${JSON.stringify(response.body).slice(0, 200)}`).toContain(response.status);
        }
      }
    }
  });

  it('documents the rows and parameters in /openapi.json', async () => {
    const doc = (await call(app, 'GET', '/openapi.json')).body;
    const parameters = doc.paths['/v1/outcomes'].get.parameters.map((p: { name: string }) => p.name);
    expect(parameters).toEqual(expect.arrayContaining(['group_by', 'deadweight', 'displacement', 'attribution', 'drop_off', 'years', 'discount_rate', 'discounting']));
    const body = doc.paths['/v1/outcomes'].get.responses['200'].content['application/json'].schema;
    expect(JSON.stringify(body)).toContain('benefit_present_value_gbp');
    expect(doc.paths['/v1/outcomes/did'].get.parameters.filter((p: { required?: boolean }) => p.required).map((p: { name: string }) => p.name)).toEqual(['project', 'metric', 'a', 'b']);
    expect(doc.paths['/v1/system'].get.description).toContain('otherwise both levels');
  });
});

describe.each(pgTargets())('GET /v1/outcomes/did on the $name PostgreSQL', (target) => {
  let t: TestDatabase;
  let app: FirstmileApp;
  let plain: FirstmileApp;
  let w: Tenants;
  const BASELINE = 'Rest of the county, same months (test)';

  const get = async (key: string, query: string) => {
    const withRls = await call(app, 'GET', `/v1/outcomes/did?${query}`, { key });
    const without = await call(plain, 'GET', `/v1/outcomes/did?${query}`, { key });
    expect([without.status, without.body], 'without row-level security').toEqual([withRls.status, withRls.body]);
    if (withRls.status === 200) DidResult.parse(withRls.body);
    return withRls;
  };

  beforeAll(async () => {
    t = await createTestDatabase(target);
    app = createApp({ handle: t });
    plain = createApp({ handle: t, rowLevelSecurity: false });
    w = await createTenants(t.db);
    const submit = async (start: string, end: string, observations: unknown[]) =>
      expect((await call(app, 'POST', `/v1/projects/${w.ids.projectB}/snapshots`, { key: w.keys.submitterB, body: { period_start: start, period_end: end, observations, stories: [] } })).status).toBe(201);
    await submit('2023-01-01', '2023-01-31', [count('homelessness_applications', 480, [900, 'baseline', BASELINE])]);
    await submit('2024-01-01', '2024-01-31', [
      count('homelessness_applications', 500, [1000, 'baseline', BASELINE]),
      count('gp_appointments', 6, [50, 'baseline', BASELINE]),
      proportion('loneliness', 60, 200, [0.3, 'baseline', BASELINE]),
      proportion('reoffending_12m', 17, 208, [0.49, 'national_average', NATIONAL]),
    ]);
    await submit('2025-01-01', '2025-01-31', [
      count('homelessness_applications', 430, [1285, 'baseline', BASELINE]),
      count('gp_appointments', 40, [60, 'baseline', BASELINE]),
      proportion('loneliness', 40, 200, [0.32, 'baseline', BASELINE]),
      proportion('reoffending_12m', 15, 200, [0.48, 'national_average', NATIONAL]),
    ]);
    await runEtl(t.db);
  });
  afterAll(() => t.drop());

  it('works the design example: admissions fell 14% while the comparator rose 28.5%', async () => {
    const response = await get(w.keys.submitterB, `project=${w.ids.projectB}&metric=homelessness_applications&a=2024-01-01&b=2025-01-01`);
    expect(response.status).toBe(200);
    // additive = (430 − 500) − (1285 − 1000) = −70 − 285 = −355
    // ratio of ratios = (430 / 500) / (1285 / 1000) = 0.86 / 1.285 = 0.669261; effect −33.1%
    // events prevented: had it followed the comparator it would have had 500 × 1.285 = 642.5; 642.5 − 430 = 212.5
    expect(response.body).toMatchObject({
      project_id: w.ids.projectB, metric_key: 'homelessness_applications', metric_kind: 'count', evidence_strength: 'trend',
      a: { period_start: '2024-01-01', period_end: '2024-01-31', value: 500, comparator_value: 1000, comparator_source: BASELINE },
      b: { period_start: '2025-01-01', value: 430, comparator_value: 1285 },
      project_change: -70, comparator_change: 285, additive: -355, suppressed_fields: [],
    });
    expect(response.body.project_ratio).toBeCloseTo(0.86, 12);
    expect(response.body.comparator_ratio).toBeCloseTo(1.285, 12);
    expect(response.body.ratio_of_ratios).toBeCloseTo(0.669261, 6);
    expect(response.body.effect).toBeCloseTo(-0.330739, 6);
    expect(response.body.events_prevented).toBeCloseTo(212.5, 9);
  });

  it('compares proportions in points and as a ratio, without events prevented', async () => {
    const response = await get(w.keys.funder, `project=${w.ids.projectB}&metric=loneliness&a=2024-01-01&b=2025-01-01`);
    // 60/200 = 0.30 → 40/200 = 0.20 (the funder's rounding leaves both as they are);
    // additive = (0.20 − 0.30) − (0.32 − 0.30) = −0.12; ratio = (0.2 / 0.3) / (0.32 / 0.3) = 0.625
    expect(response.body).toMatchObject({ a: { value: 0.3, numerator: 60, denominator: 200 }, b: { value: 0.2 }, events_prevented: null });
    expect(response.body.additive).toBeCloseTo(-0.12, 12);
    expect(response.body.ratio_of_ratios).toBeCloseTo(0.625, 12);
  });

  it('withholds what a funder may not see of a small count', async () => {
    const owner = await get(w.keys.submitterB, `project=${w.ids.projectB}&metric=gp_appointments&a=2024-01-01&b=2025-01-01`);
    // 6 → 40 against 50 → 60: additive (40 − 6) − (60 − 50) = 24; expected 6 × 1.2 = 7.2, events 7.2 − 40 = −32.8
    expect(owner.body).toMatchObject({ additive: 24, suppressed_fields: [] });
    expect(owner.body.events_prevented).toBeCloseTo(-32.8, 9);
    const funder = await get(w.keys.funder, `project=${w.ids.projectB}&metric=gp_appointments&a=2024-01-01&b=2025-01-01`);
    expect(funder.body).toMatchObject({
      a: { value: null, comparator_value: 50 }, b: { value: 40 }, comparator_change: 10, comparator_ratio: 1.2,
      project_change: null, additive: null, project_ratio: null, ratio_of_ratios: null, effect: null, events_prevented: null,
      suppressed_fields: ['a.value', 'project_change', 'additive', 'project_ratio', 'ratio_of_ratios', 'effect', 'events_prevented'],
    });
  });

  it('answers 422 naming the field when a period is missing or there is no baseline, and 404 for a project out of sight', async () => {
    const problem = async (key: string, query: string) => {
      const response = await get(key, query);
      expect(response.status, JSON.stringify(response.body)).toBe(422);
      return response.body.error.details.map((d: { path: string }) => d.path);
    };
    const P = `project=${w.ids.projectB}`;
    expect(await problem(w.keys.submitterB, `${P}&metric=homelessness_applications&a=2024-02-01&b=2026-01-01`)).toEqual(['a', 'b']);
    // The funder did not fund 2023: that period is not there for it, though it is for B.
    expect(await problem(w.keys.funder, `${P}&metric=homelessness_applications&a=2023-01-01&b=2025-01-01`)).toEqual(['a']);
    expect((await get(w.keys.submitterB, `${P}&metric=homelessness_applications&a=2023-01-01&b=2025-01-01`)).status).toBe(200);
    expect(await problem(w.keys.submitterB, `${P}&metric=reoffending_12m&a=2024-01-01&b=2025-01-01`)).toEqual(['metric']);
    expect(await problem(w.keys.submitterB, `${P}&metric=no_such_metric&a=2024-01-01&b=2025-01-01`)).toEqual(['metric']);
    expect(await problem(w.keys.submitterB, `${P}&metric=loneliness&a=2025-01-01&b=2024-01-01`)).toEqual(['b']);
    expect(await problem(w.keys.submitterB, 'metric=loneliness')).toEqual(['project', 'a', 'b']);
    for (const key of [w.keys.submitterA, w.keys.analystA]) {
      expect((await get(key, `${P}&metric=homelessness_applications&a=2024-01-01&b=2025-01-01`)).status).toBe(404);
    }
    // The commissioner holds B's place, so sees the project's figures (protected: 500, 430 are multiples of 5 already).
    expect((await get(w.keys.commissioner, `${P}&metric=homelessness_applications&a=2024-01-01&b=2025-01-01`)).body.additive).toBe(-355);
  });
});

import { describe, expect, it } from 'vitest';
import { comparisonYears, housingChangeQuarter, numeratorsAt, splitTotal } from './series.ts';
import { generatePeople } from './people.ts';
import { buildSnapshots, type PlannedObservation } from './snapshots.ts';
import { storySpecs } from './stories.ts';
import { planWorld, projectBySlug, type WorldPlan } from './world-plan.ts';

/** The current observations of one project and metric, in period order, without splits. */
function currentSeries(plan: WorldPlan, reports: ReturnType<typeof buildSnapshots>, slug: string, metric: string): PlannedObservation[] {
  const project = projectBySlug(plan, slug);
  const current = reports.snapshots
    .filter((s) => s.projectId === project.id && s.status === 'current')
    .sort((a, b) => a.periodStart.localeCompare(b.periodStart));
  return current.map((s) => {
    const found = reports.observations.find((o) => o.snapshotId === s.id && o.metricKey === metric && Object.keys(o.disaggregation).length === 0);
    if (!found) throw new Error(`${slug} has no ${metric} for ${s.periodStart}`);
    return found;
  });
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('splitTotal and numeratorsAt', () => {
  it('split a total into whole parts that add up exactly', () => {
    expect(splitTotal(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(sum(splitTotal(514, [0.93, 1.07, 1.01, 0.99]))).toBe(514);
    expect(numeratorsAt(0.08, [25, 25, 25, 25])).toEqual([2, 2, 2, 2]);
  });
});

describe.each([42, 7])('buildSnapshots with seed %i', (seed) => {
  const plan = planWorld(seed);
  const reports = buildSnapshots(plan);

  it('gives every project a current snapshot for each of the eight quarters', () => {
    for (const project of plan.projects) {
      const current = reports.snapshots.filter((s) => s.projectId === project.id && s.status === 'current');
      expect(current.map((s) => s.periodStart)).toEqual(plan.window.periods.map((p) => p.start));
    }
    expect(reports.snapshots.every((s) => s.submittedAt > `${s.periodEnd}T`)).toBe(true);
  });

  it('keeps a superseded version 1 where a snapshot was corrected', () => {
    const superseded = reports.snapshots.filter((s) => s.status === 'superseded');
    expect(superseded.length).toBeGreaterThanOrEqual(3);
    for (const old of superseded) {
      expect(old.version).toBe(1);
      const replacement = reports.snapshots.find((s) => s.projectId === old.projectId && s.periodStart === old.periodStart && s.version === 2);
      expect(replacement?.status).toBe('current');
      expect(replacement!.submittedAt > old.submittedAt).toBe(true);
    }
  });

  it('a: Homecoming Mentors reoffend at about 8% against a national average of 0.49', () => {
    const series = currentSeries(plan, reports, 'homecoming-mentors', 'reoffending_12m');
    const rate = sum(series.map((o) => o.numerator!)) / sum(series.map((o) => o.denominator!));
    expect(rate).toBeGreaterThan(0.07);
    expect(rate).toBeLessThan(0.09);
    for (const o of series) expect(o.comparator).toMatchObject({ value: 0.49, kind: 'national_average' });
    // Several mentoring projects on the same proportion, for a funnel plot.
    const onReoffending = new Set(reports.observations.filter((o) => o.metricKey === 'reoffending_12m').map((o) => o.organisationId));
    expect(onReoffending.size).toBeGreaterThanOrEqual(5);
  });

  it('shows at least one project doing worse than its comparator', () => {
    const series = currentSeries(plan, reports, 'steady-steps', 'reoffending_12m');
    const rate = sum(series.map((o) => o.numerator!)) / sum(series.map((o) => o.denominator!));
    expect(rate).toBeGreaterThan(series[0]!.comparator!.value);
  });

  it('b: Ashbrook admissions fall 14% while the comparator area\'s rise 28.5% (ratio of ratios 0.669)', () => {
    const series = currentSeries(plan, reports, 'ashbrook-connects', 'non_elective_admissions');
    const years = comparisonYears(series.length);
    const total = (quarters: number[], pick: (o: PlannedObservation) => number) => sum(quarters.map((q) => pick(series[q]!)));
    const project = total(years.last, (o) => o.value!) / total(years.first, (o) => o.value!);
    const comparator = total(years.last, (o) => o.comparator!.value) / total(years.first, (o) => o.comparator!.value);
    expect(project.toFixed(3)).toBe('0.860');
    expect(comparator.toFixed(3)).toBe('1.285');
    expect((project / comparator).toFixed(3)).toBe('0.669');
    expect(((project / comparator - 1) * 100).toFixed(1)).toBe('-33.1');
    for (const o of series) expect(o.comparator?.kind).toBe('baseline');
  });

  it('c: the housing waiting list is flat, then falls below its own earlier level', () => {
    const series = currentSeries(plan, reports, 'home-conversations', 'waiting_list_length').map((o) => ({ value: o.value!, comparator: o.comparator! }));
    const change = housingChangeQuarter(series.length);
    const baseline = series[0]!.comparator.value;
    for (const o of series) expect(o.comparator).toMatchObject({ kind: 'baseline', value: baseline });
    for (const o of series.slice(0, change)) expect(Math.abs(o.value - baseline)).toBeLessThanOrEqual(3);
    for (let i = change; i < series.length; i++) expect(series[i]!.value).toBeLessThan(series[i - 1]!.value);
    expect(series[series.length - 1]!.value).toBeLessThan(0.7 * baseline);
  });

  it('includes small numbers (1 to 7) for suppression to withhold', () => {
    const small = reports.observations.filter((o) =>
      [o.value, o.numerator, o.denominator].some((n) => n !== null && Number.isInteger(n) && n >= 1 && n <= 7));
    expect(small.length).toBeGreaterThan(10);
  });

  it('uses every comparator kind, each sourced honestly as demo data', () => {
    const comparators = reports.observations.flatMap((o) => (o.comparator ? [o.comparator] : []));
    expect(new Set(comparators.map((c) => c.kind))).toEqual(new Set(['national_average', 'baseline', 'control_group', 'target']));
    for (const c of comparators) expect(c.source).toMatch(/\(illustrative demo data\)$/);
  });

  it('attaches one or two of the project\'s own stories to each snapshot, within the consent rules', () => {
    for (const snapshot of reports.snapshots) {
      const stories = reports.stories.filter((s) => s.snapshotId === snapshot.id);
      expect(stories.length).toBeGreaterThanOrEqual(1);
      expect(stories.length).toBeLessThanOrEqual(2);
      for (const story of stories) {
        expect(story.projectId).toBe(snapshot.projectId);
        expect(storySpecs.find((s) => s.title === story.title)?.project).toBe(snapshot.projectSlug);
        if (story.consentStatus === 'withheld') expect(story.consentScope).toBe('internal');
        if (story.consentStatus === 'not_required_anonymised') expect(story.anonymised).toBe(true);
        if (story.consentStatus === 'given') {
          expect(story.consentRecordedOn! >= snapshot.periodStart && story.consentRecordedOn! <= snapshot.periodEnd).toBe(true);
        }
      }
    }
    expect(reports.stories.some((s) => s.consentStatus === 'withheld')).toBe(true);
    expect(new Set(reports.stories.map((s) => s.consentScope))).toEqual(new Set(['internal', 'funders', 'public']));
  });
});

describe('the stories', () => {
  it('are at least sixteen, distinct, and within the table\'s limits', () => {
    expect(storySpecs.length).toBeGreaterThanOrEqual(16);
    expect(new Set(storySpecs.map((s) => s.title)).size).toBe(storySpecs.length);
    expect(new Set(storySpecs.map((s) => s.body)).size).toBe(storySpecs.length);
    for (const s of storySpecs) {
      expect(s.title.length).toBeLessThanOrEqual(200);
      expect(s.body.length).toBeLessThanOrEqual(10_000);
      expect(s.themes.length).toBeGreaterThan(0);
      expect(s.linkedMetrics.length).toBeGreaterThan(0);
    }
  });

  it('describe people by their circumstances, never by a label, and hold no contact details', () => {
    const labels = /\b(ex-offenders?|offenders?|the homeless|homeless people|addicts?|service users?|frequent flyers?|bed[- ]blockers?|the elderly|the vulnerable|victims?)\b/i;
    const contactDetails = /@|\b0\d{3,4}\s?\d{3}\s?\d{3,4}\b|\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b/;
    for (const s of storySpecs) {
      expect(`${s.title}\n${s.body}`, s.title).not.toMatch(labels);
      expect(s.body, s.title).not.toMatch(contactDetails);
    }
  });

  it('link only metrics that the catalogue has', () => {
    const catalogue = new Set([
      'repeat_conversations', 'reoffending_12m', 'non_elective_admissions', 'ae_attendances', 'gp_appointments',
      'waiting_list_length', 'sustained_employment', 'medication_adherence', 'continuity_of_care', 'staff_retention',
      'loneliness', 'homelessness_applications', 'people_supported',
    ]);
    for (const s of storySpecs) for (const m of s.linkedMetrics) expect(catalogue.has(m), m).toBe(true);
  });
});

describe.each([
  { firstQuarter: '2022-07-01', quarters: 2 },
  { firstQuarter: '2023-01-01', quarters: 4 },
  { firstQuarter: '2024-04-01', quarters: 6 },
  { firstQuarter: '2025-10-01', quarters: 12 },
])('buildSnapshots over $quarters quarters from $firstQuarter', (window) => {
  const plan = planWorld(42, window);
  const reports = buildSnapshots(plan);

  it('dates every current snapshot to the window', () => {
    const current = reports.snapshots.filter((s) => s.status === 'current');
    expect(current).toHaveLength(plan.projects.length * window.quarters);
    expect(current.every((s) => s.periodStart >= window.firstQuarter)).toBe(true);
  });

  it('keeps Ashbrook\'s ratio of ratios at 0.669 for any number of years', () => {
    const series = currentSeries(plan, reports, 'ashbrook-connects', 'non_elective_admissions');
    const years = comparisonYears(series.length);
    const total = (quarters: number[], pick: (o: PlannedObservation) => number) => sum(quarters.map((q) => pick(series[q]!)));
    const project = total(years.last, (o) => o.value!) / total(years.first, (o) => o.value!);
    const comparator = total(years.last, (o) => o.comparator!.value) / total(years.first, (o) => o.comparator!.value);
    expect((project / comparator).toFixed(3)).toBe('0.669');
  });

  it('keeps the waiting list flat before the change and falling after it', () => {
    const series = currentSeries(plan, reports, 'home-conversations', 'waiting_list_length').map((o) => o.value!);
    const change = housingChangeQuarter(series.length);
    for (let i = change; i < series.length; i++) expect(series[i]!).toBeLessThan(series[i - 1]!);
  });

  it('puts contacts inside the window', () => {
    const contacts = [...generatePeople(plan, { people: 300 })].flatMap((p) => p.contacts);
    expect(contacts.every((c) => c.occurredAtMs >= plan.window.startMs)).toBe(true);
    const inside = contacts.filter((c) => c.occurredAtMs < plan.window.endMs).length / contacts.length;
    expect(inside).toBeGreaterThan(window.quarters >= 4 ? 0.99 : 0.8);
  });
});

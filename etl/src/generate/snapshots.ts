import type { ConsentScope, ConsentStatus, SnapshotStatus, StorytellerRole } from '@firstmile/schema';
import { addDays, DAY_MS, dateToMs, type Period } from './calendar.ts';
import { randomFor, uuidFor, type Random } from './random.ts';
import { projectSeries, type ObservationDraft } from './series.ts';
import { storiesFor } from './stories.ts';
import type { PlannedProject, WorldPlan } from './world-plan.ts';

export interface PlannedSnapshot {
  id: string;
  organisationId: string;
  projectId: string;
  projectSlug: string;
  periodStart: string;
  periodEnd: string;
  version: number;
  status: SnapshotStatus;
  /** ISO timestamp, drawn from the seed, never the clock. */
  submittedAt: string;
}

export interface PlannedObservation extends ObservationDraft {
  organisationId: string;
  snapshotId: string;
}

export interface PlannedStory {
  id: string;
  organisationId: string;
  snapshotId: string;
  projectId: string;
  title: string;
  body: string;
  themes: readonly string[];
  linkedMetrics: readonly string[];
  storytellerRole: StorytellerRole;
  consentStatus: ConsentStatus;
  consentScope: ConsentScope;
  consentRecordedOn: string | null;
  anonymised: boolean;
}

export interface WorldSnapshots {
  snapshots: PlannedSnapshot[];
  observations: PlannedObservation[];
  stories: PlannedStory[];
}

interface Resubmission {
  project: string;
  /** 0-based quarter of the window. */
  quarter: number;
  /** What the first, mistaken, submission said; the correction is the series itself. */
  firstAttempt: (correct: ObservationDraft[]) => ObservationDraft[];
}

const mapMetric = (observations: ObservationDraft[], metricKey: string, change: (o: ObservationDraft) => ObservationDraft) =>
  observations.map((o) => (o.metricKey === metricKey && Object.keys(o.disaggregation).length === 0 ? change(o) : o));

/** A few snapshots were corrected: version 1 superseded, version 2 current. */
export const resubmissions: readonly Resubmission[] = [
  {
    project: 'ashbrook-connects', quarter: 2,
    // Planned admissions were counted by mistake in the first return.
    firstAttempt: (obs) => mapMetric(obs, 'non_elective_admissions', (o) => ({ ...o, value: (o.value as number) + 12 })),
  },
  {
    project: 'kestrel-youth-mentoring', quarter: 1,
    // Two young people were missing from the cohort, and the age bands were not yet split.
    firstAttempt: (obs) =>
      mapMetric(obs, 'reoffending_12m', (o) => {
        const denominator = (o.denominator as number) - 2;
        return { ...o, denominator, numerator: Math.min(o.numerator as number, denominator) };
      }).filter((o) => Object.keys(o.disaggregation).length === 0),
  },
  {
    project: 'home-conversations', quarter: 4,
    // The list was counted before households that had been rehoused were taken off.
    firstAttempt: (obs) => mapMetric(obs, 'waiting_list_length', (o) => ({ ...o, value: (o.value as number) + 9 })),
  },
];

function submittedAt(random: Random, afterDate: string, minDays: number, maxDays: number): string {
  const ms = dateToMs(afterDate) + random.int(minDays, maxDays) * DAY_MS + random.int(9 * 60, 17 * 60 + 59) * 60_000;
  return new Date(ms).toISOString();
}

function storiesForSnapshot(
  seed: number, random: Random, project: PlannedProject, period: Period, quarter: number, snapshotId: string, version: number,
): PlannedStory[] {
  const pool = storiesFor(project.slug);
  if (pool.length === 0) throw new Error(`no stories written for ${project.slug}`);
  const howMany = pool.length > 1 && random.chance(0.35) ? 2 : 1;
  return Array.from({ length: howMany }, (_, k) => {
    const spec = pool[(quarter + k) % pool.length] as (typeof pool)[number];
    const recorded = addDays(period.end, -random.int(0, 45));
    return {
      id: uuidFor(seed, `story:${project.slug}:${period.start}:v${version}:${k}`),
      organisationId: project.organisationId,
      snapshotId,
      projectId: project.id,
      title: spec.title,
      body: spec.body,
      themes: spec.themes,
      linkedMetrics: spec.linkedMetrics,
      storytellerRole: spec.storytellerRole,
      consentStatus: spec.consentStatus,
      consentScope: spec.consentScope,
      // Asked and answered during the period; an anonymised story needed no consent to record.
      consentRecordedOn: spec.consentStatus === 'not_required_anonymised' ? null : recorded < period.start ? period.start : recorded,
      anonymised: spec.anonymised,
    };
  });
}

/**
 * Every project's quarterly snapshots with their observations and stories. Pure: the
 * numbers come from the seed and the scenarios in `series.ts`, not from the people.
 */
export function buildSnapshots(plan: WorldPlan): WorldSnapshots {
  const { seed } = plan;
  const { periods } = plan.window;
  const out: WorldSnapshots = { snapshots: [], observations: [], stories: [] };

  for (const project of plan.projects) {
    const series = projectSeries[project.slug];
    if (!series) throw new Error(`no outcome series for ${project.slug}`);
    const perQuarter = series({ periods, random: randomFor(seed, 'series', project.slug) });
    const timing = randomFor(seed, 'submissions', project.slug);
    const picks = randomFor(seed, 'stories', project.slug);

    periods.forEach((period, quarter) => {
      const correct = perQuarter[quarter] ?? [];
      const fix = resubmissions.find((r) => r.project === project.slug && r.quarter === quarter);
      const versions = fix ? [fix.firstAttempt(correct), correct] : [correct];
      const storyRandomState = picks.int(0, 0x7fffffff);
      let at = submittedAt(timing, period.end, 7, 28);

      versions.forEach((observations, v) => {
        const version = v + 1;
        if (v > 0) at = submittedAt(timing, at.slice(0, 10), 10, 40);
        const snapshot: PlannedSnapshot = {
          id: uuidFor(seed, `snapshot:${project.slug}:${period.start}:v${version}`),
          organisationId: project.organisationId,
          projectId: project.id,
          projectSlug: project.slug,
          periodStart: period.start,
          periodEnd: period.end,
          version,
          status: version === versions.length ? 'current' : 'superseded',
          submittedAt: at,
        };
        out.snapshots.push(snapshot);
        for (const o of observations) out.observations.push({ ...o, organisationId: project.organisationId, snapshotId: snapshot.id });
        // A corrected snapshot carries the same stories as the one it replaces.
        const storyRandom = randomFor(seed, 'story-picks', project.slug, storyRandomState);
        out.stories.push(...storiesForSnapshot(seed, storyRandom, project, period, quarter, snapshot.id, version));
      });
    });
  }
  return out;
}

// The only file with the snapshot queries. Everything runs in the caller's transaction.
import { sql, type Kysely } from 'kysely';
import {
  disaggregationKey, type Database, type ObservationInput, type ProjectRow, type StoryInput, type StoryRow,
  type SubmissionChannel, type ObservationRow, type SnapshotRow,
} from '@firstmile/schema';
import type { Actor } from '../../http/env.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { waitingBehind } from '../waiting.ts';
import { ownedProject, visibleProject } from '../projects/visible.ts';
import { visibleStory } from '../stories/visible.ts';
import type { CatalogueMetric } from './catalogue.ts';
import { visibleSnapshot } from './visible.ts';

/** A project the actor may read; others' answer 404, as if they did not exist. */
export async function readableProject(db: Kysely<Database>, actor: Actor, projectId: string): Promise<ProjectRow> {
  const row = await db.selectFrom('projects').selectAll().where('id', '=', projectId).where(visibleProject(actor)).executeTakeFirst();
  if (!row) throw new NotFoundError('project', projectId);
  return row;
}

/** A project the actor may submit to: its own organisation's (any, for admins), not archived. */
export async function writableProject(db: Kysely<Database>, actor: Actor, projectId: string): Promise<ProjectRow> {
  const row = await db.selectFrom('projects').selectAll().where('id', '=', projectId).where(ownedProject(actor)).executeTakeFirst();
  if (!row) throw new NotFoundError('project', projectId);
  if (row.archived_at !== null) throw new ConflictError(`project ${projectId} is archived and takes no new snapshots`);
  return row;
}

/**
 * The metrics a project's figures may use: the built-in catalogue and the project's own
 * organisation's custom metrics (for an admin too, so one organisation's custom metric never
 * lands in another's project).
 */
export async function catalogueFor(db: Kysely<Database>, organisationId: string): Promise<Map<string, CatalogueMetric>> {
  const rows = await db
    .selectFrom('metrics')
    .select(['key', 'kind', 'archived_at'])
    .where((eb) => eb.or([eb('organisation_id', 'is', null), eb('organisation_id', '=', organisationId)]))
    .execute();
  return new Map(rows.map((r) => [r.key, { key: r.key, kind: r.kind, archived: r.archived_at !== null }]));
}

/**
 * Serialises submissions of one project and period until the transaction ends, so two
 * concurrent ones cannot both read version n and both write n + 1. Callers taking several
 * periods lock them in one order (by date) so that two such callers cannot deadlock.
 */
export async function lockPeriod(db: Kysely<Database>, projectId: string, periodStart: string, periodEnd: string): Promise<void> {
  const name = `firstmile.snapshot:${projectId}:${periodStart}:${periodEnd}`;
  await waitingBehind('another submission of this project and period', () => sql`SELECT pg_advisory_xact_lock(hashtextextended(${name}, 0))`.execute(db));
}

export interface PeriodVersions {
  latest: number;
  currentId: string | null;
}

export async function periodVersions(db: Kysely<Database>, project: ProjectRow, periodStart: string, periodEnd: string): Promise<PeriodVersions> {
  const rows = await db
    .selectFrom('snapshots')
    .select(['id', 'version', 'status'])
    .where('organisation_id', '=', project.organisation_id)
    .where('project_id', '=', project.id)
    .where('period_start', '=', periodStart)
    .where('period_end', '=', periodEnd)
    .execute();
  return {
    latest: rows.reduce((max, r) => Math.max(max, r.version), 0),
    currentId: rows.find((r) => r.status === 'current')?.id ?? null,
  };
}

export async function supersede(db: Kysely<Database>, organisationId: string, snapshotId: string): Promise<void> {
  await db.updateTable('snapshots').set({ status: 'superseded' }).where('organisation_id', '=', organisationId).where('id', '=', snapshotId).execute();
}

/**
 * The same metrics' figures in the project's earlier periods (those starting before
 * `before`), current versions only, keyed by metric and disaggregation.
 */
export async function historyOf(
  db: Kysely<Database>,
  project: ProjectRow,
  before: string,
  metricKeys: readonly string[],
): Promise<Map<string, number[]>> {
  const history = new Map<string, number[]>();
  if (metricKeys.length === 0) return history;
  const rows = await db
    .selectFrom('observations as o')
    .innerJoin('snapshots as s', (join) => join.onRef('s.organisation_id', '=', 'o.organisation_id').onRef('s.id', '=', 'o.snapshot_id'))
    .select(['o.metric_key', 'o.disaggregation', 'o.value'])
    .where('s.organisation_id', '=', project.organisation_id)
    .where('s.project_id', '=', project.id)
    .where('s.status', '=', 'current')
    .where('s.period_start', '<', before)
    .where('o.metric_key', 'in', [...new Set(metricKeys)])
    .where('o.value', 'is not', null)
    .execute();
  for (const row of rows) {
    const key = historyKey(row.metric_key, row.disaggregation);
    const values = history.get(key) ?? [];
    values.push(row.value!);
    history.set(key, values);
  }
  return history;
}

export function historyKey(metricKey: string, disaggregation: Readonly<Record<string, string>>): string {
  return JSON.stringify([metricKey, disaggregationKey(disaggregation)]);
}

export interface NewSnapshot {
  project: ProjectRow;
  periodStart: string;
  periodEnd: string;
  version: number;
  via: SubmissionChannel;
  observations: ReadonlyArray<{ input: ObservationInput; flags: string[] }>;
  stories: ReadonlyArray<{ input: StoryInput; piiFlags: string[] }>;
}

export async function insertSnapshot(db: Kysely<Database>, actor: Actor, s: NewSnapshot): Promise<{ id: string; storyIds: string[] }> {
  const organisationId = s.project.organisation_id;
  const snapshot = await db
    .insertInto('snapshots')
    .values({
      organisation_id: organisationId,
      project_id: s.project.id,
      period_start: s.periodStart,
      period_end: s.periodEnd,
      version: s.version,
      status: 'current',
      submitted_by: actor.keyId,
      submitted_via: s.via,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (s.observations.length > 0) {
    await db
      .insertInto('observations')
      .values(
        s.observations.map(({ input: o, flags }) => ({
          organisation_id: organisationId,
          snapshot_id: snapshot.id,
          metric_key: o.metric_key,
          // A proportion's value is derived from numerator ÷ denominator by the database.
          value: o.value ?? null,
          numerator: o.numerator ?? null,
          denominator: o.denominator ?? null,
          comparator_value: o.comparator?.value ?? null,
          comparator_kind: o.comparator?.kind ?? null,
          comparator_source: o.comparator?.source ?? null,
          comparator_period_start: o.comparator?.period_start ?? null,
          comparator_period_end: o.comparator?.period_end ?? null,
          disaggregation: JSON.stringify(o.disaggregation),
          flags,
        })),
      )
      .execute();
  }
  let storyIds: string[] = [];
  if (s.stories.length > 0) {
    const rows = await db
      .insertInto('stories')
      .values(
        s.stories.map(({ input: story, piiFlags }) => ({
          organisation_id: organisationId,
          snapshot_id: snapshot.id,
          project_id: s.project.id,
          title: story.title,
          body: story.body,
          themes: story.themes,
          linked_metrics: story.linked_metrics,
          storyteller_role: story.storyteller_role,
          consent_status: story.consent.status,
          consent_scope: story.consent.scope,
          consent_recorded_on: story.consent.recorded_on ?? null,
          anonymised: story.anonymised,
          pii_flags: piiFlags,
        })),
      )
      .returning('id')
      .execute();
    storyIds = rows.map((r) => r.id);
  }
  return { id: snapshot.id, storyIds };
}

export interface SnapshotRows {
  snapshots: SnapshotRow[];
  observations: ObservationRow[];
  stories: StoryRow[];
}

/**
 * A project's snapshots as the actor may see them (all versions, oldest period first), with
 * their observations and the stories the actor may read. `ids` narrows to given snapshots.
 */
export async function snapshotRows(db: Kysely<Database>, actor: Actor, project: ProjectRow, ids?: readonly string[]): Promise<SnapshotRows> {
  if (ids !== undefined && ids.length === 0) return { snapshots: [], observations: [], stories: [] };
  let query = db
    .selectFrom('snapshots')
    .selectAll()
    .where('organisation_id', '=', project.organisation_id)
    .where('project_id', '=', project.id)
    .where(visibleSnapshot(actor));
  if (ids !== undefined) query = query.where('id', 'in', [...ids]);
  const snapshots = await query.orderBy('period_start').orderBy('period_end').orderBy('version').execute();
  if (snapshots.length === 0) return { snapshots, observations: [], stories: [] };
  const snapshotIds = snapshots.map((s) => s.id);
  const observations = await db
    .selectFrom('observations')
    .selectAll()
    .where('organisation_id', '=', project.organisation_id)
    .where('snapshot_id', 'in', snapshotIds)
    .orderBy('id')
    .execute();
  const stories = await db
    .selectFrom('stories')
    .selectAll()
    .where('organisation_id', '=', project.organisation_id)
    .where('snapshot_id', 'in', snapshotIds)
    .where(visibleStory(actor))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return { snapshots, observations, stories };
}

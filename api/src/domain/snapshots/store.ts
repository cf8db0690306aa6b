import type { Kysely } from 'kysely';
import type { Database, ObservationInput, ProjectRow, StoryInput, SubmissionChannel } from '@firstmile/schema';
import type { Actor } from '../../http/env.ts';
import { recordAudit } from '../audit.ts';
import { personalDataKinds, scanForPersonalData } from '../stories/personal-data.ts';
import { figureOf } from './catalogue.ts';
import { OUTLIER_FLAG, checkOutlier } from './outliers.ts';
import { historyKey, historyOf, insertSnapshot, lockPeriod, periodVersions, supersede } from './repository.ts';

export interface NewVersion {
  project: ProjectRow;
  periodStart: string;
  periodEnd: string;
  /** Already checked against the catalogue. */
  observations: readonly ObservationInput[];
  stories: readonly StoryInput[];
  via: SubmissionChannel;
}

export interface StoredVersion {
  id: string;
  version: number;
  supersededId: string | null;
}

/** What the personal-data check finds in a story's title and body, each scanned on its own. */
export function piiFlagsOf(story: Pick<StoryInput, 'title' | 'body'>): string[] {
  const found = new Set([...scanForPersonalData(story.title), ...scanForPersonalData(story.body)]);
  return personalDataKinds.filter((kind) => found.has(kind));
}

/**
 * Stores one project+period as its next version and supersedes the current one, under a lock
 * on that project+period so concurrent submissions queue instead of colliding. Figures far
 * outside the project's own earlier periods are stored with the outlier flag; stories with
 * their personal-data flags. The audit record is written in the same transaction.
 */
export async function storeVersion(db: Kysely<Database>, actor: Actor, v: NewVersion): Promise<StoredVersion> {
  await lockPeriod(db, v.project.id, v.periodStart, v.periodEnd);
  const { latest, currentId } = await periodVersions(db, v.project, v.periodStart, v.periodEnd);
  if (currentId !== null) await supersede(db, v.project.organisation_id, currentId);

  const history = await historyOf(db, v.project, v.periodStart, v.observations.map((o) => o.metric_key));
  const observations = v.observations.map((input) => {
    const figure = figureOf(input);
    const earlier = history.get(historyKey(input.metric_key, input.disaggregation)) ?? [];
    const flags = figure !== null && checkOutlier(figure, earlier).outlier ? [OUTLIER_FLAG] : [];
    return { input, flags };
  });
  const stories = v.stories.map((input) => ({ input, piiFlags: piiFlagsOf(input) }));

  const version = latest + 1;
  const { id, storyIds } = await insertSnapshot(db, actor, {
    project: v.project,
    periodStart: v.periodStart,
    periodEnd: v.periodEnd,
    version,
    via: v.via,
    observations,
    stories,
  });
  await recordAudit(db, actor, {
    action: 'snapshot.create',
    entity: 'snapshot',
    entityId: id,
    organisationId: v.project.organisation_id,
    details: {
      project_id: v.project.id,
      period_start: v.periodStart,
      period_end: v.periodEnd,
      version,
      superseded: currentId,
      via: v.via,
      observations: observations.length,
      flagged_for_review: observations.filter((o) => o.flags.length > 0).map((o) => o.input.metric_key),
      story_ids: storyIds,
      stories_with_personal_data: stories.filter((s) => s.piiFlags.length > 0).length,
    },
  });
  return { id, version, supersededId: currentId };
}

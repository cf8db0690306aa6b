import { sql, type Kysely } from 'kysely';
import type { Database, StoriesQuery, Story } from '@firstmile/schema';
import type { Actor } from '../../http/env.ts';
import { recordStoryReads } from './audit.ts';
import { toStory } from './map.ts';
import { visibleStory } from './visible.ts';

/**
 * `GET /v1/stories`: the stories of current snapshot versions the actor may read, newest
 * first, filtered by project, linked metric and theme. The read is recorded in the audit log.
 * Whether a snapshot is current is asked of `firstmile_snapshot_is_current`, because a key
 * reading another organisation's public story may not read that story's snapshot.
 */
export async function listStories({ db, actor, query }: { db: Kysely<Database>; actor: Actor; query: StoriesQuery }): Promise<Story[]> {
  let select = db
    .selectFrom('stories')
    .selectAll()
    .where(visibleStory(actor))
    .where(sql<boolean>`firstmile_snapshot_is_current(stories.organisation_id, stories.snapshot_id)`);
  if (query.project !== undefined) select = select.where('project_id', '=', query.project);
  if (query.metric !== undefined) select = select.where(sql<boolean>`${query.metric} = ANY (stories.linked_metrics)`);
  if (query.theme !== undefined) select = select.where(sql<boolean>`${query.theme} = ANY (stories.themes)`);
  const rows = await select.orderBy('created_at', 'desc').orderBy('id').execute();
  await recordStoryReads(db, actor, rows, { route: 'GET /v1/stories', filters: { ...query } });
  return rows.map(toStory);
}

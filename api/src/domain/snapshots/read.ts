import type { Kysely } from 'kysely';
import type { Database, Snapshot } from '@firstmile/schema';
import type { Actor } from '../../http/env.ts';
import { recordStoryReads } from '../stories/audit.ts';
import { assembleSnapshots } from './assemble.ts';
import { protectSnapshots } from './protect.ts';
import { readableProject, snapshotRows } from './repository.ts';

/**
 * `GET /v1/projects/{projectId}/snapshots`: every version of every period the actor may see
 * (a funder, the periods it funded), with observations and the stories it may read. The
 * stories read are recorded in the audit log. Anyone outside the project's organisation (but
 * an admin) sees counts under small-number protection.
 */
export async function listSnapshots({ db, actor, projectId }: { db: Kysely<Database>; actor: Actor; projectId: string }): Promise<Snapshot[]> {
  const project = await readableProject(db, actor, projectId);
  const rows = await snapshotRows(db, actor, project);
  await recordStoryReads(db, actor, rows.stories, { route: 'GET /v1/projects/{projectId}/snapshots', filters: { project: projectId } });
  const snapshots = assembleSnapshots(rows);
  if (actor.role === 'admin' || project.organisation_id === actor.organisationId) return snapshots;
  const keys = [...new Set(rows.observations.map((o) => o.metric_key))];
  const kinds = keys.length === 0 ? [] : await db.selectFrom('metrics').select(['key', 'kind']).where('key', 'in', keys).execute();
  return protectSnapshots(snapshots, new Map(kinds.map((k) => [k.key, k.kind])));
}

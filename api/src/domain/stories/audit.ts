import type { Kysely } from 'kysely';
import type { Database } from '@firstmile/schema';
import type { Actor } from '../../http/env.ts';
import { recordAudit } from '../audit.ts';

/**
 * Every read of stories leaves a record in the same transaction: who read, which stories, and
 * through what. One record per organisation whose stories were read, so that each can see in
 * its own audit log who read its stories; a read that found none is recorded against the
 * reader's organisation.
 */
export async function recordStoryReads(
  db: Kysely<Database>,
  actor: Actor,
  stories: ReadonlyArray<{ id: string; organisation_id: string }>,
  via: { route: string; filters?: Record<string, unknown> },
): Promise<void> {
  const byOrganisation = new Map<string, string[]>();
  for (const story of stories) {
    const ids = byOrganisation.get(story.organisation_id) ?? [];
    ids.push(story.id);
    byOrganisation.set(story.organisation_id, ids);
  }
  if (byOrganisation.size === 0) byOrganisation.set(actor.organisationId, []);
  for (const [organisationId, ids] of byOrganisation) {
    await recordAudit(db, actor, {
      action: 'story.read',
      entity: 'story',
      entityId: ids.length === 1 ? ids[0]! : null,
      organisationId,
      details: { route: via.route, ...(via.filters ? { filters: via.filters } : {}), count: ids.length, story_ids: ids },
    });
  }
}

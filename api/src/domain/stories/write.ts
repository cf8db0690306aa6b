import { sql, type Kysely } from 'kysely';
import type { Database, Story, StoryUpdate } from '@firstmile/schema';
import type { Actor } from '../../http/env.ts';
import { recordAudit } from '../audit.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.ts';
import { toStory } from './map.ts';
import { visibleStory } from './visible.ts';

/**
 * `PATCH /v1/stories/{id}`: someone of the story's own organisation (or an admin) has checked
 * the text the personal-data scan flagged and clears it for sharing within its consent scope,
 * or withdraws that clearance. Clearing twice keeps the first clearance.
 */
export async function updateStory({ db, actor, id, input }: { db: Kysely<Database>; actor: Actor; id: string; input: StoryUpdate }): Promise<Story> {
  const found = await db.selectFrom('stories').select(['organisation_id', 'pii_flags']).where('id', '=', id).where(visibleStory(actor)).executeTakeFirst();
  if (!found) throw new NotFoundError('story', id);
  if (actor.role !== 'admin' && found.organisation_id !== actor.organisationId) {
    throw new ForbiddenError("only the story's own organisation or an admin may clear its personal-data flags");
  }
  if (input.pii_cleared && found.pii_flags.length === 0) {
    throw new ConflictError(`story ${id} has no personal-data flags to clear`);
  }
  const row = await db
    .updateTable('stories')
    .set(
      input.pii_cleared
        ? { pii_cleared_at: sql<Date>`coalesce(pii_cleared_at, now())`, pii_cleared_by: sql<string>`coalesce(pii_cleared_by, ${actor.keyId}::uuid)` }
        : { pii_cleared_at: null, pii_cleared_by: null },
    )
    .where('organisation_id', '=', found.organisation_id)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, {
    action: input.pii_cleared ? 'story.pii_clear' : 'story.pii_unclear',
    entity: 'story',
    entityId: id,
    organisationId: row.organisation_id,
    details: { pii_flags: [...row.pii_flags] },
  });
  return toStory(row);
}

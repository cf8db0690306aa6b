import type { Kysely } from 'kysely';
import type { Database, Organisation, OrganisationCreate, OrganisationUpdate } from '@firstmile/schema';
import { recordAudit } from '../audit.ts';
import { ForbiddenError, NotFoundError } from '../errors.ts';
import type { Actor } from '../../http/env.ts';
import { toOrganisation } from './map.ts';

export async function createOrganisation({ db, actor, input }: { db: Kysely<Database>; actor: Actor; input: OrganisationCreate }): Promise<Organisation> {
  const row = await db.insertInto('organisations').values({ name: input.name, kind: input.kind }).returningAll().executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: 'organisation.create', entity: 'organisation', entityId: row.id, organisationId: row.id, details: { name: row.name, kind: row.kind } });
  return toOrganisation(row);
}

/** An organisation edits itself; admins edit any. Others' organisations answer 404. */
export async function updateOrganisation({ db, actor, id, input }: { db: Kysely<Database>; actor: Actor; id: string; input: OrganisationUpdate }): Promise<Organisation> {
  if (actor.role !== 'admin' && id !== actor.organisationId) {
    const visible = await db.selectFrom('organisations').select('id').where('id', '=', id).executeTakeFirst();
    if (!visible) throw new NotFoundError('organisation', id);
    throw new ForbiddenError('an organisation may change only itself');
  }
  if (input.archived !== undefined && actor.role !== 'admin') throw new ForbiddenError('only an admin archives an organisation');
  const row = await db
    .updateTable('organisations')
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.archived !== undefined ? { archived_at: input.archived ? new Date() : null } : {}),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new NotFoundError('organisation', id);
  await recordAudit(db, actor, { action: 'organisation.update', entity: 'organisation', entityId: id, organisationId: id, details: { fields: Object.keys(input) } });
  return toOrganisation(row);
}

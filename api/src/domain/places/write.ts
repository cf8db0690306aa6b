import type { Kysely } from 'kysely';
import type {
  CommissionerPlace, CommissionerPlaceCreate, CommissionerPlaceUpdate, Database, Place, PlaceCreate, PlaceUpdate,
} from '@firstmile/schema';
import type { Actor } from '../../http/env.ts';
import { recordAudit } from '../audit.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import { archivedChange } from '../owner.ts';
import { toCommissionerPlace, toPlace } from './map.ts';

function requireAdmin(actor: Actor, what: string): void {
  if (actor.role !== 'admin') throw new ForbiddenError(`only an admin manages ${what}`);
}

/** Names a place code (admins); place codes elsewhere stay free text. */
export async function createPlace({ db, actor, input }: { db: Kysely<Database>; actor: Actor; input: PlaceCreate }): Promise<Place> {
  requireAdmin(actor, 'place names');
  const row = await db.insertInto('places').values({ code: input.code, name: input.name }).onConflict((oc) => oc.column('code').doNothing()).returningAll().executeTakeFirst();
  if (!row) throw new ConflictError(`place ${input.code} already has a name; change it with PATCH /v1/places/${encodeURIComponent(input.code)}`);
  await recordAudit(db, actor, { action: 'place.create', entity: 'place', entityId: row.code, organisationId: null, details: { name: row.name } });
  return toPlace(row);
}

export async function updatePlace({ db, actor, code, input }: { db: Kysely<Database>; actor: Actor; code: string; input: PlaceUpdate }): Promise<Place> {
  requireAdmin(actor, 'place names');
  const row = await db
    .updateTable('places')
    .set({ ...(input.name !== undefined ? { name: input.name } : {}) })
    .where('code', '=', code)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new NotFoundError('place', code);
  await recordAudit(db, actor, { action: 'place.update', entity: 'place', entityId: code, organisationId: null, details: { fields: Object.keys(input) } });
  return toPlace(row);
}

/** Links a commissioner to a place (admins): it then sees the services and aggregates there. */
export async function createCommissionerPlace({ db, actor, organisationId, input }: { db: Kysely<Database>; actor: Actor; organisationId: string; input: CommissionerPlaceCreate }): Promise<CommissionerPlace> {
  requireAdmin(actor, 'place links');
  const organisation = await db.selectFrom('organisations').select(['kind', 'archived_at']).where('id', '=', organisationId).executeTakeFirst();
  if (!organisation) throw new NotFoundError('organisation', organisationId);
  if (organisation.kind !== 'commissioner') {
    throw new ValidationError([{ path: 'id', message: `places are linked to commissioner organisations, not to a ${organisation.kind}` }]);
  }
  if (organisation.archived_at !== null) throw new ValidationError([{ path: 'id', message: 'the organisation is archived' }]);
  const row = await db
    .insertInto('commissioner_places')
    .values({ organisation_id: organisationId, place_code: input.place_code })
    .onConflict((oc) => oc.columns(['organisation_id', 'place_code']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!row) {
    throw new ConflictError(`the organisation is already linked to place ${input.place_code} (to restore an archived link, PATCH it with archived: false)`);
  }
  await recordAudit(db, actor, { action: 'commissioner_place.create', entity: 'commissioner_place', entityId: row.place_code, organisationId });
  return toCommissionerPlace(row);
}

/** Archives or restores a commissioner's place link (admins). */
export async function updateCommissionerPlace({ db, actor, organisationId, placeCode, input }: { db: Kysely<Database>; actor: Actor; organisationId: string; placeCode: string; input: CommissionerPlaceUpdate }): Promise<CommissionerPlace> {
  requireAdmin(actor, 'place links');
  const row = await db
    .updateTable('commissioner_places')
    .set({ ...archivedChange(input.archived) })
    .where('organisation_id', '=', organisationId)
    .where('place_code', '=', placeCode)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new NotFoundError('place link', `${organisationId}/${placeCode}`);
  await recordAudit(db, actor, { action: 'commissioner_place.update', entity: 'commissioner_place', entityId: placeCode, organisationId, details: { fields: Object.keys(input) } });
  return toCommissionerPlace(row);
}

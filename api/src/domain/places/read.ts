import type { Kysely } from 'kysely';
import type { CommissionerPlace, Database, Place } from '@firstmile/schema';
import type { Actor } from '../../http/env.ts';
import { NotFoundError } from '../errors.ts';
import { toCommissionerPlace, toPlace } from './map.ts';
import { mayReadPlacesOf } from './visible.ts';

/** Place names, shared by every organisation. */
export async function listPlaces({ db }: { db: Kysely<Database> }): Promise<Place[]> {
  const rows = await db.selectFrom('places').selectAll().orderBy('code').execute();
  return rows.map(toPlace);
}

/** The places a commissioner is linked to, archived links included. */
export async function listCommissionerPlaces({ db, actor, organisationId }: { db: Kysely<Database>; actor: Actor; organisationId: string }): Promise<CommissionerPlace[]> {
  if (!mayReadPlacesOf(actor, organisationId)) throw new NotFoundError('organisation', organisationId);
  const organisation = await db.selectFrom('organisations').select('id').where('id', '=', organisationId).executeTakeFirst();
  if (!organisation) throw new NotFoundError('organisation', organisationId);
  const rows = await db.selectFrom('commissioner_places').selectAll().where('organisation_id', '=', organisationId).orderBy('place_code').execute();
  return rows.map(toCommissionerPlace);
}

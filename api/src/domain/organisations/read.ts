import type { Kysely } from 'kysely';
import type { Database, Organisation } from '@firstmile/schema';
import { NotFoundError } from '../errors.ts';
import type { Actor } from '../../http/env.ts';
import { toOrganisation } from './map.ts';
import { visibleOrganisation } from './visible.ts';

export async function listOrganisations({ db, actor }: { db: Kysely<Database>; actor: Actor }): Promise<Organisation[]> {
  const rows = await db.selectFrom('organisations').selectAll().where(visibleOrganisation(actor)).orderBy('name').orderBy('id').execute();
  return rows.map(toOrganisation);
}

export async function getOrganisation({ db, actor, id }: { db: Kysely<Database>; actor: Actor; id: string }): Promise<Organisation> {
  const row = await db.selectFrom('organisations').selectAll().where('id', '=', id).where(visibleOrganisation(actor)).executeTakeFirst();
  if (!row) throw new NotFoundError('organisation', id);
  return toOrganisation(row);
}

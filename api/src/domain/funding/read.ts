import type { Kysely } from 'kysely';
import type { Database, Funding } from '@firstmile/schema';
import type { Actor } from '../../http/env.ts';
import { NotFoundError } from '../errors.ts';
import { toFunding } from './map.ts';
import { visibleFunding } from './visible.ts';

export async function listFunding({ db, actor }: { db: Kysely<Database>; actor: Actor }): Promise<Funding[]> {
  const rows = await db.selectFrom('funding').selectAll().where(visibleFunding(actor)).orderBy('from_date').orderBy('id').execute();
  return rows.map(toFunding);
}

export async function getFunding({ db, actor, id }: { db: Kysely<Database>; actor: Actor; id: string }): Promise<Funding> {
  const row = await db.selectFrom('funding').selectAll().where('id', '=', id).where(visibleFunding(actor)).executeTakeFirst();
  if (!row) throw new NotFoundError('funding', id);
  return toFunding(row);
}

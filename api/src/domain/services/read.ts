import type { Kysely } from 'kysely';
import type { Database, Service } from '@firstmile/schema';
import type { Actor } from '../../http/env.ts';
import { NotFoundError } from '../errors.ts';
import { toService } from './map.ts';
import { visibleService } from './visible.ts';

export async function listServices({ db, actor }: { db: Kysely<Database>; actor: Actor }): Promise<Service[]> {
  const rows = await db.selectFrom('services').selectAll().where(visibleService(actor)).orderBy('name').orderBy('id').execute();
  return rows.map(toService);
}

export async function getService({ db, actor, id }: { db: Kysely<Database>; actor: Actor; id: string }): Promise<Service> {
  const row = await db.selectFrom('services').selectAll().where('id', '=', id).where(visibleService(actor)).executeTakeFirst();
  if (!row) throw new NotFoundError('service', id);
  return toService(row);
}

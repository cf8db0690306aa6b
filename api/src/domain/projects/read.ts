import type { Kysely } from 'kysely';
import type { Database, Project } from '@firstmile/schema';
import type { Actor } from '../../http/env.ts';
import { NotFoundError } from '../errors.ts';
import { toProject } from './map.ts';
import { visibleProject } from './visible.ts';

export async function listProjects({ db, actor }: { db: Kysely<Database>; actor: Actor }): Promise<Project[]> {
  const rows = await db.selectFrom('projects').selectAll().where(visibleProject(actor)).orderBy('name').orderBy('id').execute();
  return rows.map(toProject);
}

export async function getProject({ db, actor, id }: { db: Kysely<Database>; actor: Actor; id: string }): Promise<Project> {
  const row = await db.selectFrom('projects').selectAll().where('id', '=', id).where(visibleProject(actor)).executeTakeFirst();
  if (!row) throw new NotFoundError('project', id);
  return toProject(row);
}

import type { Kysely } from 'kysely';
import type { Database, Project, ProjectCreate, ProjectUpdate } from '@firstmile/schema';
import type { Actor } from '../../http/env.ts';
import { recordAudit } from '../audit.ts';
import { NotFoundError } from '../errors.ts';
import { archivedChange, ownerOf } from '../owner.ts';
import { toProject } from './map.ts';
import { ownedProject } from './visible.ts';

/** A submitter creates for its own provider organisation; an admin names the provider. */
export async function createProject({ db, actor, input }: { db: Kysely<Database>; actor: Actor; input: ProjectCreate }): Promise<Project> {
  const organisationId = await ownerOf(db, actor, input.organisation_id, { kinds: ['provider'], what: 'a project' });
  const row = await db
    .insertInto('projects')
    .values({ organisation_id: organisationId, name: input.name, sector: input.sector, place_code: input.place_code, started_on: input.started_on })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: 'project.create', entity: 'project', entityId: row.id, organisationId, details: { name: row.name } });
  return toProject(row);
}

/** Edit, archive or restore a project of one's own organisation; others' answer 404. */
export async function updateProject({ db, actor, id, input }: { db: Kysely<Database>; actor: Actor; id: string; input: ProjectUpdate }): Promise<Project> {
  const row = await db
    .updateTable('projects')
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.sector !== undefined ? { sector: input.sector } : {}),
      ...(input.place_code !== undefined ? { place_code: input.place_code } : {}),
      ...(input.started_on !== undefined ? { started_on: input.started_on } : {}),
      ...archivedChange(input.archived),
    })
    .where('id', '=', id)
    .where(ownedProject(actor))
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new NotFoundError('project', id);
  await recordAudit(db, actor, { action: 'project.update', entity: 'project', entityId: id, organisationId: row.organisation_id, details: { fields: Object.keys(input) } });
  return toProject(row);
}

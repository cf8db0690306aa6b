import type { Kysely } from 'kysely';
import type { Database, Service, ServiceCreate, ServiceUpdate } from '@firstmile/schema';
import type { Actor } from '../../http/env.ts';
import { recordAudit } from '../audit.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { archivedChange, ownerOf } from '../owner.ts';
import { toService } from './map.ts';
import { ownedService } from './visible.ts';

/** A service's project must be an active project of the service's own organisation. */
async function requireSameOrganisationProject(db: Kysely<Database>, organisationId: string, projectId: string): Promise<void> {
  const project = await db
    .selectFrom('projects')
    .select(['id', 'archived_at'])
    .where('organisation_id', '=', organisationId)
    .where('id', '=', projectId)
    .executeTakeFirst();
  if (!project) throw new ValidationError([{ path: 'project_id', message: "must be a project of the service's own organisation" }]);
  if (project.archived_at !== null) throw new ValidationError([{ path: 'project_id', message: 'the project is archived' }]);
}

/** A non-admin creates for its own organisation; an admin names the organisation. */
export async function createService({ db, actor, input }: { db: Kysely<Database>; actor: Actor; input: ServiceCreate }): Promise<Service> {
  const organisationId = await ownerOf(db, actor, input.organisation_id, { what: 'a service' });
  if (input.project_id !== undefined) await requireSameOrganisationProject(db, organisationId, input.project_id);
  const row = await db
    .insertInto('services')
    .values({
      organisation_id: organisationId,
      name: input.name,
      kind: input.kind,
      place_code: input.place_code,
      project_id: input.project_id ?? null,
      unit_cost_gbp_per_contact: input.unit_cost_gbp_per_contact ?? null,
      unit_cost_source: input.unit_cost_source ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: 'service.create', entity: 'service', entityId: row.id, organisationId, details: { name: row.name, kind: row.kind } });
  return toService(row);
}

/**
 * Edit, archive or restore a service of one's own organisation; others' answer 404. The
 * contract checks the fields it is given; the stored ones are checked here, so that a
 * unit cost never loses its source.
 */
export async function updateService({ db, actor, id, input }: { db: Kysely<Database>; actor: Actor; id: string; input: ServiceUpdate }): Promise<Service> {
  const current = await db.selectFrom('services').selectAll().where('id', '=', id).where(ownedService(actor)).forUpdate().executeTakeFirst();
  if (!current) throw new NotFoundError('service', id);
  if (input.project_id != null) await requireSameOrganisationProject(db, current.organisation_id, input.project_id);
  const cost = input.unit_cost_gbp_per_contact !== undefined ? input.unit_cost_gbp_per_contact : current.unit_cost_gbp_per_contact;
  const source = input.unit_cost_source !== undefined ? input.unit_cost_source : current.unit_cost_source;
  if (cost !== null && source === null) {
    throw new ValidationError([{ path: 'unit_cost_source', message: 'cannot be cleared while the service has a unit cost' }]);
  }
  const row = await db
    .updateTable('services')
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.kind !== undefined ? { kind: input.kind } : {}),
      ...(input.place_code !== undefined ? { place_code: input.place_code } : {}),
      ...(input.project_id !== undefined ? { project_id: input.project_id } : {}),
      ...(input.unit_cost_gbp_per_contact !== undefined ? { unit_cost_gbp_per_contact: input.unit_cost_gbp_per_contact } : {}),
      ...(input.unit_cost_source !== undefined ? { unit_cost_source: input.unit_cost_source } : {}),
      ...archivedChange(input.archived),
    })
    .where('organisation_id', '=', current.organisation_id)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new NotFoundError('service', id);
  await recordAudit(db, actor, { action: 'service.update', entity: 'service', entityId: id, organisationId: row.organisation_id, details: { fields: Object.keys(input) } });
  return toService(row);
}

import type { Kysely } from 'kysely';
import type { Database, Funding, FundingCreate, FundingUpdate } from '@firstmile/schema';
import type { Actor } from '../../http/env.ts';
import { recordAudit } from '../audit.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import { archivedChange, requireOrganisation } from '../owner.ts';
import { toFunding } from './map.ts';

function requireAdmin(actor: Actor): void {
  if (actor.role !== 'admin') throw new ForbiddenError('only an admin manages funding links');
}

/** Links a funder to a project (admins): the funder sees the project, and its data for the funded dates. */
export async function createFunding({ db, actor, input }: { db: Kysely<Database>; actor: Actor; input: FundingCreate }): Promise<Funding> {
  requireAdmin(actor);
  const funder = await requireOrganisation(db, input.funder_id, { path: 'funder_id', kinds: ['funder'], what: 'a funding link' });
  const project = await db.selectFrom('projects').select(['organisation_id', 'archived_at']).where('id', '=', input.project_id).executeTakeFirst();
  if (!project) throw new ValidationError([{ path: 'project_id', message: 'no project has this id' }]);
  if (project.archived_at !== null) throw new ValidationError([{ path: 'project_id', message: 'the project is archived' }]);
  const row = await db
    .insertInto('funding')
    .values({
      organisation_id: project.organisation_id,
      project_id: input.project_id,
      funder_id: funder.id,
      from_date: input.from,
      to_date: input.to ?? null,
      amount_gbp: input.amount_gbp,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, {
    action: 'funding.create', entity: 'funding', entityId: row.id, organisationId: row.organisation_id,
    details: { funder_id: row.funder_id, project_id: row.project_id, from: row.from_date, to: row.to_date, amount_gbp: row.amount_gbp },
  });
  return toFunding(row);
}

/**
 * Changes dates or amount, archives or restores a link (admins). The contract compares the
 * dates it is given; here they are compared with the stored ones too.
 */
export async function updateFunding({ db, actor, id, input }: { db: Kysely<Database>; actor: Actor; id: string; input: FundingUpdate }): Promise<Funding> {
  requireAdmin(actor);
  const current = await db.selectFrom('funding').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!current) throw new NotFoundError('funding', id);
  const from = input.from ?? current.from_date;
  const to = input.to !== undefined ? input.to : current.to_date;
  if (to !== null && from > to) {
    throw new ValidationError(
      input.to !== undefined && input.to !== null
        ? [{ path: 'to', message: 'must not be before from' }]
        : [{ path: 'from', message: `must not be after the stored to (${to})` }],
    );
  }
  const row = await db
    .updateTable('funding')
    .set({
      ...(input.from !== undefined ? { from_date: input.from } : {}),
      ...(input.to !== undefined ? { to_date: input.to } : {}),
      ...(input.amount_gbp !== undefined ? { amount_gbp: input.amount_gbp } : {}),
      ...archivedChange(input.archived),
    })
    .where('organisation_id', '=', current.organisation_id)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new NotFoundError('funding', id);
  await recordAudit(db, actor, { action: 'funding.update', entity: 'funding', entityId: id, organisationId: row.organisation_id, details: { fields: Object.keys(input) } });
  return toFunding(row);
}

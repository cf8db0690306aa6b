import type { Kysely } from 'kysely';
import type { Database, Metric, MetricCreate, MetricUpdate } from '@firstmile/schema';
import type { Actor } from '../../http/env.ts';
import { recordAudit } from '../audit.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import { archivedChange, requireOrganisation } from '../owner.ts';
import { getMetric } from './read.ts';
import { visibleMetric } from './visible.ts';

/**
 * Whose metric a new one is: a submitter's own organisation's (it may leave organisation_id
 * out); an admin's choice, where leaving it out adds to the built-in catalogue.
 */
async function metricOwner(db: Kysely<Database>, actor: Actor, given: string | undefined): Promise<string | null> {
  if (actor.role === 'admin') {
    return given === undefined ? null : (await requireOrganisation(db, given, { path: 'organisation_id', what: 'a custom metric' })).id;
  }
  if (given !== undefined && given !== actor.organisationId) {
    throw new ValidationError([{ path: 'organisation_id', message: "must be your own organisation's id, or left out" }]);
  }
  return actor.organisationId;
}

/** A metric is monetised with a published unit cost, or one its own organisation added. */
async function requireUnitCost(db: Kysely<Database>, owner: string | null, code: string): Promise<void> {
  const cost = await db.selectFrom('unit_costs').select(['code', 'organisation_id']).where('code', '=', code).executeTakeFirst();
  if (!cost || (cost.organisation_id !== null && cost.organisation_id !== owner)) {
    throw new ValidationError([{
      path: 'unit_cost_code',
      message: owner === null ? 'must be the code of a built-in unit cost' : "must be the code of a built-in unit cost or one of the metric's organisation",
    }]);
  }
}

/**
 * Adds a metric. Keys are one namespace for the whole deployment (observations name them),
 * so a key already taken, by anyone, is a 409.
 */
export async function createMetric({ db, actor, input }: { db: Kysely<Database>; actor: Actor; input: MetricCreate }): Promise<Metric> {
  const owner = await metricOwner(db, actor, input.organisation_id);
  if (input.unit_cost_code !== undefined) await requireUnitCost(db, owner, input.unit_cost_code);
  const row = await db
    .insertInto('metrics')
    .values({
      key: input.key,
      organisation_id: owner,
      label: input.label,
      kind: input.kind,
      polarity: input.polarity,
      theme: input.theme,
      description: input.description,
      unit_cost_code: input.unit_cost_code ?? null,
    })
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('key')
    .executeTakeFirst();
  if (!row) throw new ConflictError(`the metric key ${input.key} is already taken; choose another`);
  await recordAudit(db, actor, { action: 'metric.create', entity: 'metric', entityId: row.key, organisationId: owner, details: { kind: input.kind } });
  return getMetric({ db, actor, key: row.key });
}

/**
 * Edits, archives or restores a metric. An organisation changes its own custom metrics;
 * only admins change the built-in catalogue; other organisations' metrics answer 404.
 */
export async function updateMetric({ db, actor, key, input }: { db: Kysely<Database>; actor: Actor; key: string; input: MetricUpdate }): Promise<Metric> {
  const current = await db.selectFrom('metrics').select(['key', 'organisation_id']).where('key', '=', key).where(visibleMetric(actor)).executeTakeFirst();
  if (!current) throw new NotFoundError('metric', key);
  // Not FOR UPDATE: that would apply the update policy, and hide a catalogue metric from a submitter as 404.
  if (current.organisation_id === null && actor.role !== 'admin') throw new ForbiddenError('only an admin changes the built-in catalogue');
  if (typeof input.unit_cost_code === 'string') await requireUnitCost(db, current.organisation_id, input.unit_cost_code);
  const updated = await db
    .updateTable('metrics')
    .set({
      ...(input.label !== undefined ? { label: input.label } : {}),
      ...(input.polarity !== undefined ? { polarity: input.polarity } : {}),
      ...(input.theme !== undefined ? { theme: input.theme } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.unit_cost_code !== undefined ? { unit_cost_code: input.unit_cost_code } : {}),
      ...archivedChange(input.archived),
    })
    .where('key', '=', key)
    .returning('key')
    .executeTakeFirst();
  if (!updated) throw new NotFoundError('metric', key);
  await recordAudit(db, actor, { action: 'metric.update', entity: 'metric', entityId: key, organisationId: current.organisation_id, details: { fields: Object.keys(input) } });
  return getMetric({ db, actor, key });
}

import type { ExpressionBuilder } from 'kysely';
import type { Database } from '@firstmile/schema';
import type { Actor } from '../../http/env.ts';

/**
 * The metrics an actor may see: the built-in catalogue and its own organisation's custom
 * metrics; admins all. Row-level security (`metrics_read`) is wider on purpose, letting
 * every key read every definition so that analytics can label another organisation's
 * observations the caller may see; the catalogue routes do not browse others' custom metrics.
 */
export function visibleMetric(actor: Actor) {
  return (eb: ExpressionBuilder<Database, 'metrics'>) => {
    if (actor.role === 'admin') return eb.lit(true);
    return eb.or([eb('metrics.organisation_id', 'is', null), eb('metrics.organisation_id', '=', actor.organisationId)]);
  };
}

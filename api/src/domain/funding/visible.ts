import type { ExpressionBuilder } from 'kysely';
import type { Database } from '@firstmile/schema';
import type { Actor } from '../../http/env.ts';

/**
 * The funding links an actor may see: those of its organisation's projects (as provider)
 * and those its organisation gives (as funder); admins all. Row-level security
 * (`funding_read`) says the same in SQL; this is the application's wall.
 */
export function visibleFunding(actor: Actor) {
  return (eb: ExpressionBuilder<Database, 'funding'>) => {
    if (actor.role === 'admin') return eb.lit(true);
    return eb.or([
      eb('funding.organisation_id', '=', actor.organisationId),
      eb('funding.funder_id', '=', actor.organisationId),
    ]);
  };
}

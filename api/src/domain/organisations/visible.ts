import type { ExpressionBuilder } from 'kysely';
import type { Database } from '@firstmile/schema';
import type { Actor } from '../../http/env.ts';

/**
 * The organisations an actor may see: its own, and those it is linked to by funding.
 * Row-level security says the same in SQL; this is the application's own wall.
 */
export function visibleOrganisation(actor: Actor) {
  return (eb: ExpressionBuilder<Database, 'organisations'>) => {
    if (actor.role === 'admin') return eb.lit(true);
    return eb.or([
      eb('organisations.id', '=', actor.organisationId),
      eb.exists(
        eb
          .selectFrom('funding')
          .select(eb.lit(1).as('one'))
          .where('funding.archived_at', 'is', null)
          .where((f) =>
            f.or([
              f.and([f('funding.organisation_id', '=', f.ref('organisations.id')), f('funding.funder_id', '=', actor.organisationId)]),
              f.and([f('funding.funder_id', '=', f.ref('organisations.id')), f('funding.organisation_id', '=', actor.organisationId)]),
            ]),
          ),
      ),
    ]);
  };
}

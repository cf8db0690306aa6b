import type { ExpressionBuilder } from 'kysely';
import type { Database } from '@firstmile/schema';
import type { Actor } from '../../http/env.ts';

/**
 * The services an actor may see: its own organisation's; for a commissioner key, also every
 * service in a place it holds (an active link); admins all. Row-level security
 * (`services_read`) says the same in SQL; this is the application's wall.
 */
export function visibleService(actor: Actor) {
  return (eb: ExpressionBuilder<Database, 'services'>) => {
    if (actor.role === 'admin') return eb.lit(true);
    const own = eb('services.organisation_id', '=', actor.organisationId);
    if (actor.role !== 'commissioner') return own;
    return eb.or([
      own,
      eb.exists(
        eb
          .selectFrom('commissioner_places')
          .select(eb.lit(1).as('one'))
          .where('commissioner_places.organisation_id', '=', actor.organisationId)
          .whereRef('commissioner_places.place_code', '=', 'services.place_code')
          .where('commissioner_places.archived_at', 'is', null),
      ),
    ]);
  };
}

/** The services an actor may change: its own organisation's; admins all. */
export function ownedService(actor: Actor) {
  return (eb: ExpressionBuilder<Database, 'services'>) =>
    actor.role === 'admin' ? eb.lit(true) : eb('services.organisation_id', '=', actor.organisationId);
}

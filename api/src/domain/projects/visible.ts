import type { ExpressionBuilder } from 'kysely';
import type { Database } from '@firstmile/schema';
import type { Actor } from '../../http/env.ts';

/**
 * The projects an actor may see: its own organisation's; for a funder key, also every
 * project it has a (non-archived) funding link to, whatever the dates; admins all.
 * Row-level security (`projects_read`) says the same in SQL; this is the application's wall.
 */
export function visibleProject(actor: Actor) {
  return (eb: ExpressionBuilder<Database, 'projects'>) => {
    if (actor.role === 'admin') return eb.lit(true);
    const own = eb('projects.organisation_id', '=', actor.organisationId);
    if (actor.role !== 'funder') return own;
    return eb.or([
      own,
      eb.exists(
        eb
          .selectFrom('funding')
          .select(eb.lit(1).as('one'))
          .whereRef('funding.organisation_id', '=', 'projects.organisation_id')
          .whereRef('funding.project_id', '=', 'projects.id')
          .where('funding.funder_id', '=', actor.organisationId)
          .where('funding.archived_at', 'is', null),
      ),
    ]);
  };
}

/** The projects an actor may change: its own organisation's; admins all. */
export function ownedProject(actor: Actor) {
  return (eb: ExpressionBuilder<Database, 'projects'>) =>
    actor.role === 'admin' ? eb.lit(true) : eb('projects.organisation_id', '=', actor.organisationId);
}

import type { ExpressionBuilder } from 'kysely';
import type { Database } from '@firstmile/schema';
import type { Actor } from '../../http/env.ts';

/**
 * The snapshots an actor may see: its own organisation's; for a funder key, those of projects
 * it funds whose period overlaps a (non-archived) funding link's dates; admins all.
 * Row-level security (`snapshots_read`, `app_funds`) says the same in SQL; this is the
 * application's own wall.
 */
export function visibleSnapshot(actor: Actor) {
  return (eb: ExpressionBuilder<Database, 'snapshots'>) => {
    if (actor.role === 'admin') return eb.lit(true);
    const own = eb('snapshots.organisation_id', '=', actor.organisationId);
    if (actor.role !== 'funder') return own;
    return eb.or([
      own,
      eb.exists(
        eb
          .selectFrom('funding')
          .select(eb.lit(1).as('one'))
          .whereRef('funding.organisation_id', '=', 'snapshots.organisation_id')
          .whereRef('funding.project_id', '=', 'snapshots.project_id')
          .where('funding.funder_id', '=', actor.organisationId)
          .where('funding.archived_at', 'is', null)
          .whereRef('funding.from_date', '<=', 'snapshots.period_end')
          .where((f) => f.or([f('funding.to_date', 'is', null), f('funding.to_date', '>=', f.ref('snapshots.period_start'))])),
      ),
    ]);
  };
}

import { sql, type ExpressionBuilder } from 'kysely';
import type { Database } from '@firstmile/schema';
import type { Actor } from '../../http/env.ts';

/**
 * The stories an actor may read. Its own organisation's, all of them; beyond that only a story
 * whose consent was not withheld and whose personal-data flags are none or cleared, and then
 * within its consent scope: `public` to any key, `funders` also to a funder of the project for
 * a period it funded, `internal` to nobody else. Admins read everything. Row-level security
 * (`stories_read`) says the same in SQL; this is the application's own wall.
 */
export function visibleStory(actor: Actor) {
  return (eb: ExpressionBuilder<Database, 'stories'>) => {
    if (actor.role === 'admin') return eb.lit(true);
    const scopes = [eb('stories.consent_scope', '=', 'public')];
    if (actor.role === 'funder') {
      scopes.push(
        eb.and([
          eb('stories.consent_scope', '=', 'funders'),
          eb.exists(
            eb
              .selectFrom('snapshots')
              .innerJoin('funding', (join) =>
                join.onRef('funding.organisation_id', '=', 'snapshots.organisation_id').onRef('funding.project_id', '=', 'snapshots.project_id'),
              )
              .select(eb.lit(1).as('one'))
              .whereRef('snapshots.organisation_id', '=', 'stories.organisation_id')
              .whereRef('snapshots.id', '=', 'stories.snapshot_id')
              .where('funding.funder_id', '=', actor.organisationId)
              .where('funding.archived_at', 'is', null)
              .whereRef('funding.from_date', '<=', 'snapshots.period_end')
              .where((f) => f.or([f('funding.to_date', 'is', null), f('funding.to_date', '>=', f.ref('snapshots.period_start'))])),
          ),
        ]),
      );
    }
    return eb.or([
      eb('stories.organisation_id', '=', actor.organisationId),
      eb.and([
        eb('stories.consent_status', '<>', 'withheld'),
        eb.or([eb(sql<number>`cardinality(stories.pii_flags)`, '=', 0), eb('stories.pii_cleared_at', 'is not', null)]),
        eb.or(scopes),
      ]),
    ]);
  };
}

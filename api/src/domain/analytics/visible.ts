import { sql, type ExpressionBuilder, type RawBuilder } from 'kysely';
import type { Database } from '@firstmile/schema';
import type { Actor } from '../../http/env.ts';

// Who may read which analytics rows. Row-level security (`analytics_outcomes_read`,
// `analytics_service_periods_read`, `analytics_place_periods_read` in the analytics migration)
// says the same in SQL; these are the application's own walls. The shared pieces are written
// as SQL, like the policies, with the outer row's columns passed in by name.

/** A place the actor's (commissioner) organisation holds through an active link. */
function holdsPlace(actor: Actor, placeColumn: string): RawBuilder<boolean> {
  return sql<boolean>`EXISTS (
    SELECT 1 FROM commissioner_places cp
    WHERE cp.organisation_id = ${actor.organisationId} AND cp.place_code = ${sql.ref(placeColumn)} AND cp.archived_at IS NULL)`;
}

/** An active funding link from the actor's (funder) organisation to the project, overlapping the period. */
function fundsPeriod(actor: Actor, projectColumn: string, startColumn: string, endColumn: string): RawBuilder<boolean> {
  return sql<boolean>`EXISTS (
    SELECT 1 FROM funding f
    WHERE f.project_id = ${sql.ref(projectColumn)} AND f.funder_id = ${actor.organisationId} AND f.archived_at IS NULL
      AND f.from_date <= ${sql.ref(endColumn)} AND (f.to_date IS NULL OR f.to_date >= ${sql.ref(startColumn)}))`;
}

/**
 * Outcome rows: the owning organisation's; a funder's for the periods it funds; a
 * commissioner's for the places it holds; admins all.
 */
export function visibleOutcome(actor: Actor) {
  return (eb: ExpressionBuilder<Database, 'analytics_outcomes'>) => {
    if (actor.role === 'admin') return eb.lit(true);
    const own = eb('analytics_outcomes.organisation_id', '=', actor.organisationId);
    if (actor.role === 'funder') {
      return eb.or([own, fundsPeriod(actor, 'analytics_outcomes.project_id', 'analytics_outcomes.period_start', 'analytics_outcomes.period_end')]);
    }
    if (actor.role === 'commissioner') return eb.or([own, holdsPlace(actor, 'analytics_outcomes.place_code')]);
    return own;
  };
}

/**
 * Service rows: the service's own organisation's; a commissioner's in the places it holds;
 * a funder's when the service belongs to a project it funds, for the funded periods.
 */
export function visibleServicePeriod(actor: Actor) {
  return (eb: ExpressionBuilder<Database, 'analytics_service_periods'>) => {
    if (actor.role === 'admin') return eb.lit(true);
    const own = eb('analytics_service_periods.organisation_id', '=', actor.organisationId);
    if (actor.role === 'commissioner') return eb.or([own, holdsPlace(actor, 'analytics_service_periods.place_code')]);
    if (actor.role === 'funder') {
      return eb.or([
        own,
        // The ETL copies the service's project onto the row, as a funder cannot read services.
        sql<boolean>`(analytics_service_periods.project_id IS NOT NULL
            AND ${fundsPeriod(actor, 'analytics_service_periods.project_id', 'analytics_service_periods.period_start', 'analytics_service_periods.period_end')})`,
      ]);
    }
    return own;
  };
}

/**
 * Place rows mix every organisation's contacts: a commissioner of the place sees them, and
 * so does any organisation with a service there or (a funder) funding a project there.
 */
export function visiblePlacePeriod(actor: Actor) {
  return (eb: ExpressionBuilder<Database, 'analytics_place_periods'>) => {
    if (actor.role === 'admin') return eb.lit(true);
    const branches = [
      sql<boolean>`EXISTS (
        SELECT 1 FROM services s WHERE s.place_code = analytics_place_periods.place_code AND s.organisation_id = ${actor.organisationId})`,
    ];
    if (actor.role === 'commissioner') branches.push(holdsPlace(actor, 'analytics_place_periods.place_code'));
    if (actor.role === 'funder') {
      branches.push(sql<boolean>`EXISTS (
        SELECT 1 FROM projects p JOIN funding f ON f.organisation_id = p.organisation_id AND f.project_id = p.id
        WHERE p.place_code = analytics_place_periods.place_code AND f.funder_id = ${actor.organisationId} AND f.archived_at IS NULL)`);
    }
    return eb.or(branches);
  };
}

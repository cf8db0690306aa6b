import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import { defaultBenefitAssumptions, type BenefitAssumptions } from '@firstmile/etl';
import type { Database, OutcomeRow, OutcomesQuery } from '@firstmile/schema';
import type { Actor } from '../../http/env.ts';
import { NotFoundError } from '../errors.ts';
import { visibleFunding } from '../funding/visible.ts';
import { visibleProject } from '../projects/visible.ts';
import { visibleStory } from '../stories/visible.ts';
import { yearEnd, yearStart } from './periods.ts';
import { rollUpOutcomes, type MetricInfo, type OutcomeFact } from './rollup.ts';
import { visibleOutcome } from './visible.ts';

/** The benefit parameters of a query, the defaults filling what it left out. */
export function assumptionsOf(query: Partial<BenefitAssumptions>): BenefitAssumptions {
  const d = defaultBenefitAssumptions;
  return {
    deadweight: query.deadweight ?? d.deadweight,
    displacement: query.displacement ?? d.displacement,
    attribution: query.attribution ?? d.attribution,
    drop_off: query.drop_off ?? d.drop_off,
    years: query.years ?? d.years,
    discount_rate: query.discount_rate ?? d.discount_rate,
    discounting: query.discounting ?? d.discounting,
  };
}

/**
 * A project the actor may ask about: one it may read (its own; a funder's, funded at any time;
 * any, for an admin), or one with an outcome row it may see (a commissioner's, in its places).
 * Anything else answers 404, as if it did not exist.
 */
export async function requireOutcomeProject(db: Kysely<Database>, actor: Actor, projectId: string): Promise<void> {
  const readable = await db.selectFrom('projects').select('id').where('id', '=', projectId).where(visibleProject(actor)).executeTakeFirst();
  if (readable) return;
  const seen = await db.selectFrom('analytics_outcomes').select('project_id').where('project_id', '=', projectId).where(visibleOutcome(actor)).limit(1).executeTakeFirst();
  if (!seen) throw new NotFoundError('project', projectId);
}

/** `unit_cost_source`: what a reader needs to find and judge the price. */
export function unitCostSource(c: { source: string | null; edition: string | null; source_reference: string | null; price_year: string | null }): string | null {
  if (c.source === null) return null;
  return `${c.source}, ${c.edition}, ${c.source_reference}, ${c.price_year} prices`;
}

/** The ETL's per-project figures the actor may see, with their metric and the stories it may read. */
export function outcomeFacts(db: Kysely<Database>, actor: Actor) {
  return db
    .selectFrom('analytics_outcomes')
    .innerJoin('metrics', 'metrics.key', 'analytics_outcomes.metric_key')
    // A custom unit cost is its organisation's to read, as row-level security on unit_costs has it.
    .leftJoin('unit_costs', (join) =>
      join.onRef('unit_costs.code', '=', 'metrics.unit_cost_code').on((eb) =>
        actor.role === 'admin'
          ? eb.lit(true)
          : eb.or([eb('unit_costs.organisation_id', 'is', null), eb('unit_costs.organisation_id', '=', actor.organisationId)]),
      ),
    )
    .where(visibleOutcome(actor))
    .select((eb) => [
      'analytics_outcomes.organisation_id', 'analytics_outcomes.project_id', 'analytics_outcomes.place_code',
      'analytics_outcomes.metric_key', 'analytics_outcomes.period_start', 'analytics_outcomes.period_end',
      'analytics_outcomes.value', 'analytics_outcomes.numerator', 'analytics_outcomes.denominator',
      'analytics_outcomes.comparator_value', 'analytics_outcomes.comparator_kind', 'analytics_outcomes.comparator_source',
      'analytics_outcomes.flags',
      'metrics.kind', 'metrics.polarity',
      'unit_costs.value_gbp as unit_cost_value', 'unit_costs.source as unit_cost_source', 'unit_costs.edition as unit_cost_edition',
      'unit_costs.source_reference as unit_cost_reference', 'unit_costs.price_year as unit_cost_price_year',
      storiesCount(eb, actor).as('stories'),
    ]);
}

/** Stories the actor may read on the row's snapshot that explain the row's metric. */
function storiesCount(eb: ExpressionBuilder<Database, 'analytics_outcomes'>, actor: Actor) {
  return eb
    .selectFrom('stories')
    .select((s) => s.fn.countAll<number>().as('n'))
    .whereRef('stories.organisation_id', '=', 'analytics_outcomes.organisation_id')
    .whereRef('stories.snapshot_id', '=', 'analytics_outcomes.snapshot_id')
    .where(sql<boolean>`analytics_outcomes.metric_key = ANY (stories.linked_metrics)`)
    .where(visibleStory(actor));
}

/**
 * `GET /v1/outcomes`: the ETL's figures rolled up to the grain and grouping asked for, with
 * comparisons, events prevented, preventative benefit under the given assumptions, funnel
 * limits and story counts; every row but the actor's own organisation's (or an admin's view)
 * under small-number protection.
 */
export async function listOutcomes({ db, actor, query }: { db: Kysely<Database>; actor: Actor; query: OutcomesQuery }): Promise<{ group_by: NonNullable<OutcomesQuery['group_by']>; outcomes: OutcomeRow[] }> {
  const grain = query.grain ?? 'month';
  const groupBy = query.group_by ?? 'project';
  if (query.project !== undefined) await requireOutcomeProject(db, actor, query.project);

  let select = outcomeFacts(db, actor);
  if (query.project !== undefined) select = select.where('analytics_outcomes.project_id', '=', query.project);
  if (query.place !== undefined) select = select.where('analytics_outcomes.place_code', '=', query.place);
  if (query.metric !== undefined) select = select.where('analytics_outcomes.metric_key', '=', query.metric);
  // A loose cut in SQL (every bucket lies within the year of its snapshot's start); the exact
  // one is made on the rolled-up periods.
  if (query.from !== undefined) select = select.where('analytics_outcomes.period_end', '>=', yearStart(query.from));
  if (query.to !== undefined) select = select.where('analytics_outcomes.period_start', '<=', yearEnd(query.to));
  if (query.funder !== undefined) {
    const funder = query.funder;
    // The funder's projects for the dates it funds, through funding links the actor may see.
    select = select.where((eb) =>
      eb.exists(
        eb
          .selectFrom('funding')
          .select(eb.lit(1).as('one'))
          .whereRef('funding.organisation_id', '=', 'analytics_outcomes.organisation_id')
          .whereRef('funding.project_id', '=', 'analytics_outcomes.project_id')
          .where('funding.funder_id', '=', funder)
          .where('funding.archived_at', 'is', null)
          .whereRef('funding.from_date', '<=', 'analytics_outcomes.period_end')
          .where((f) => f.or([f('funding.to_date', 'is', null), f('funding.to_date', '>=', f.ref('analytics_outcomes.period_start'))]))
          .where(visibleFunding(actor)),
      ),
    );
  }
  const rows = await select.execute();

  const metrics = new Map<string, MetricInfo>();
  const facts: OutcomeFact[] = rows.map((r) => {
    if (!metrics.has(r.metric_key)) {
      metrics.set(r.metric_key, {
        kind: r.kind,
        polarity: r.polarity,
        unit_cost_gbp: r.unit_cost_value ?? null,
        unit_cost_source: unitCostSource({ source: r.unit_cost_source, edition: r.unit_cost_edition, source_reference: r.unit_cost_reference, price_year: r.unit_cost_price_year }),
      });
    }
    return {
      organisation_id: r.organisation_id,
      project_id: r.project_id,
      place_code: r.place_code,
      metric_key: r.metric_key,
      period_start: r.period_start,
      period_end: r.period_end,
      value: r.value,
      numerator: r.numerator,
      denominator: r.denominator,
      comparator_value: r.comparator_value,
      comparator_kind: r.comparator_kind,
      comparator_source: r.comparator_source,
      flags: r.flags,
      stories: Number(r.stories ?? 0),
    };
  });
  const outcomes = rollUpOutcomes(facts, metrics, {
    grain,
    groupBy,
    assumptions: assumptionsOf(query),
    organisationId: actor.organisationId,
    exact: actor.role === 'admin',
    from: query.from,
    to: query.to,
  });
  return { group_by: groupBy, outcomes };
}

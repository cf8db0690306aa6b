import type { Kysely } from 'kysely';
import { counterfactualEventsPrevented, differenceInDifferences, protectCount, protectProportion } from '@firstmile/etl';
import { nhsSuppressionRule, type Database, type DidQuery, type DidResult, type MetricKind } from '@firstmile/schema';
import type { Actor } from '../../http/env.ts';
import { ValidationError } from '../errors.ts';
import { outcomeFacts, requireOutcomeProject } from './outcomes.ts';

type Side = 'a' | 'b';
type Suppressed = DidResult['suppressed_fields'][number];

/**
 * `GET /v1/outcomes/did`: a project's change between two of its periods set against its
 * baseline comparator's change over the same periods. The periods are named by their start,
 * among the periods the actor may see (a funder: those it funded).
 */
export async function outcomeDid({ db, actor, query }: { db: Kysely<Database>; actor: Actor; query: DidQuery }): Promise<DidResult> {
  await requireOutcomeProject(db, actor, query.project);
  const metric = await db.selectFrom('metrics').select(['key', 'kind', 'polarity']).where('key', '=', query.metric).executeTakeFirst();
  if (!metric) throw new ValidationError([{ path: 'metric', message: 'is not a metric in the catalogue' }]);
  const rows = await outcomeFacts(db, actor)
    .where('analytics_outcomes.project_id', '=', query.project)
    .where('analytics_outcomes.metric_key', '=', query.metric)
    .where('analytics_outcomes.period_start', 'in', [query.a, query.b])
    .orderBy('analytics_outcomes.period_end')
    .execute();

  const problems: Array<{ path: string; message: string }> = [];
  const pick = (side: Side) => {
    const found = rows.filter((r) => r.period_start === query[side]);
    if (found.length === 0) {
      problems.push({ path: side, message: `the project has no ${query.metric} figure for a period starting on ${query[side]} that you may see` });
    } else if (found.length > 1) {
      problems.push({ path: side, message: `several periods start on ${query[side]} (ending ${found.map((r) => r.period_end).join(', ')}); the comparison needs one` });
    }
    return found.length === 1 ? found[0]! : null;
  };
  const rowA = pick('a');
  const rowB = pick('b');
  if (problems.length > 0) throw new ValidationError(problems);
  const baseline = (r: NonNullable<typeof rowA>) => r.comparator_kind === 'baseline' && r.comparator_value !== null;
  if (!baseline(rowA!) && !baseline(rowB!)) {
    throw new ValidationError([{ path: 'metric', message: `has no baseline comparator for this project in the periods starting ${query.a} and ${query.b}` }]);
  }
  for (const [side, row] of [['a', rowA], ['b', rowB]] as const) {
    if (!baseline(row!)) problems.push({ path: side, message: `the period starting on ${query[side]} has no baseline comparator` });
  }
  if (problems.length > 0) throw new ValidationError(problems);

  const exact = actor.role === 'admin' || rowA!.organisation_id === actor.organisationId;
  const suppressed = new Set<Suppressed>();
  const a = sideOf(rowA!, metric.kind, exact, 'a', suppressed);
  const b = sideOf(rowB!, metric.kind, exact, 'b', suppressed);
  const flags = new Set([...rowA!.flags, ...rowB!.flags]);

  const comparatorA = rowA!.comparator_value!;
  const comparatorB = rowB!.comparator_value!;
  const known = a.value !== null && b.value !== null;
  const did = differenceInDifferences({ projectA: a.value ?? 0, projectB: b.value ?? 0, comparatorA, comparatorB });
  const events = metric.kind === 'count' && known
    ? counterfactualEventsPrevented({ projectA: a.value!, projectB: b.value!, comparatorA, comparatorB, polarity: metric.polarity })
    : null;
  const withheld = suppressed.size > 0 && !known;
  if (withheld) {
    for (const f of ['project_change', 'additive', 'project_ratio', 'ratio_of_ratios', 'effect'] as const) suppressed.add(f);
    if (metric.kind === 'count') suppressed.add('events_prevented');
  }
  return {
    project_id: query.project,
    metric_key: metric.key,
    metric_kind: metric.kind,
    polarity: metric.polarity,
    evidence_strength: 'trend',
    a,
    b,
    project_change: known ? did.project_change : null,
    comparator_change: did.comparator_change,
    additive: known ? did.additive : null,
    project_ratio: known ? did.project_ratio : null,
    comparator_ratio: did.comparator_ratio,
    ratio_of_ratios: known ? did.ratio_of_ratios : null,
    effect: known ? did.effect : null,
    events_prevented: events,
    flags: [...flags].sort(),
    suppressed_fields: [...suppressed],
  };
}

/** One period's figures as the actor may see them; a proportion's value is its rate. */
function sideOf(
  row: { period_start: string; period_end: string; value: number | null; numerator: number | null; denominator: number | null; comparator_value: number | null; comparator_source: string | null },
  kind: MetricKind,
  exact: boolean,
  side: Side,
  suppressed: Set<Suppressed>,
): DidResult['a'] {
  let { value, numerator, denominator } = row;
  if (kind === 'proportion' && numerator !== null && denominator !== null) {
    if (exact) value = denominator === 0 ? null : numerator / denominator;
    else {
      const p = protectProportion(numerator, denominator, nhsSuppressionRule);
      ({ numerator, denominator } = p);
      value = p.rate;
      for (const f of p.suppressed_fields) suppressed.add(`${side}.${f}`);
    }
  } else if (kind === 'count' && value !== null && !exact) {
    value = protectCount(value, nhsSuppressionRule);
    if (value === null) suppressed.add(`${side}.value`);
  }
  return {
    period_start: row.period_start,
    period_end: row.period_end,
    value,
    numerator,
    denominator,
    comparator_value: row.comparator_value!,
    comparator_source: row.comparator_source,
  };
}

import type { MetricKind, ObservationInput } from '@firstmile/schema';

/** What the checks need to know of a catalogue entry. */
export interface CatalogueMetric {
  key: string;
  kind: MetricKind;
  archived: boolean;
}

export interface FieldProblem {
  /** Within the observation: ['numerator'], ['comparator', 'value']. */
  path: PropertyKey[];
  message: string;
}

/**
 * What is wrong with an observation given its metric, checked before anything is stored so
 * that every problem comes back as a 422 with its path. The database holds the same rules
 * (firstmile_check_observation) as the last wall. `metric` is undefined when the key is not in
 * the catalogue the project may use.
 */
export function catalogueProblems(o: ObservationInput, metric: CatalogueMetric | undefined): FieldProblem[] {
  if (metric === undefined) return [{ path: ['metric_key'], message: `"${o.metric_key}" is not a metric in the catalogue` }];
  if (metric.archived) return [{ path: ['metric_key'], message: `"${o.metric_key}" is archived and takes no new figures` }];
  const problems: FieldProblem[] = [];
  const kind = metric.kind;
  switch (kind) {
    case 'proportion':
      if (o.value !== undefined && (o.value < 0 || o.value > 1)) {
        problems.push({ path: ['value'], message: 'must lie between 0 and 1 for a proportion (or give numerator and denominator)' });
      }
      if (o.comparator !== undefined && (o.comparator.value < 0 || o.comparator.value > 1)) {
        problems.push({ path: ['comparator', 'value'], message: 'must lie between 0 and 1 for a proportion' });
      }
      return problems;
    case 'count':
    case 'rate_per_1000':
    case 'duration_minutes':
    case 'currency_gbp':
    case 'score':
      if (o.numerator !== undefined || o.denominator !== undefined) {
        const field = o.numerator !== undefined ? 'numerator' : 'denominator';
        problems.push({ path: [field], message: `${o.metric_key} is a ${kind}: give a value, not a numerator and denominator` });
      }
      if (o.value !== undefined) {
        if (kind === 'count' && !Number.isInteger(o.value)) problems.push({ path: ['value'], message: 'must be a whole number for a count' });
        if (kind !== 'score' && o.value < 0) problems.push({ path: ['value'], message: `must not be negative for a ${kind}` });
      }
      if (o.comparator !== undefined && kind !== 'score' && o.comparator.value < 0) {
        problems.push({ path: ['comparator', 'value'], message: `must not be negative for a ${kind}` });
      }
      return problems;
    default:
      throw new Error(`no catalogue rule for metric kind ${JSON.stringify(kind satisfies never)}`);
  }
}

/** The figure the outlier check compares: the value, or numerator ÷ denominator. */
export function figureOf(o: Pick<ObservationInput, 'value' | 'numerator' | 'denominator'>): number | null {
  if (o.value !== undefined) return o.value;
  if (o.numerator !== undefined && o.denominator !== undefined && o.denominator > 0) return o.numerator / o.denominator;
  return null;
}

import { protectCount, protectProportion } from '@firstmile/etl';
import { nhsSuppressionRule, type MetricKind, type Observation, type Snapshot, type SuppressionRule } from '@firstmile/schema';

/**
 * A snapshot as someone outside the submitting organisation sees it (a funder): counts and
 * proportions under small-number protection. The project's own organisation and admins see
 * exact values; comparators are published figures and stay as given.
 */
export function protectObservation(observation: Observation, kind: MetricKind | undefined, rule: SuppressionRule = nhsSuppressionRule): Observation {
  if (kind === 'proportion' && observation.numerator !== null && observation.denominator !== null) {
    const p = protectProportion(observation.numerator, observation.denominator, rule);
    return { ...observation, numerator: p.numerator, denominator: p.denominator, value: p.rate, suppressed_fields: p.suppressed_fields };
  }
  if (kind === 'count' && observation.value !== null) {
    const value = protectCount(observation.value, rule);
    return { ...observation, value, suppressed_fields: value === null ? ['value'] : [] };
  }
  return observation;
}

export function protectSnapshots(snapshots: Snapshot[], kinds: ReadonlyMap<string, MetricKind>, rule: SuppressionRule = nhsSuppressionRule): Snapshot[] {
  return snapshots.map((s) => ({ ...s, observations: s.observations.map((o) => protectObservation(o, kinds.get(o.metric_key), rule)) }));
}

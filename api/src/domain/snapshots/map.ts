import type { Observation, ObservationRow, Snapshot, SnapshotRow, Story } from '@firstmile/schema';

export function toObservation(row: ObservationRow): Observation {
  return {
    metric_key: row.metric_key,
    value: row.value,
    numerator: row.numerator,
    denominator: row.denominator,
    comparator:
      row.comparator_value === null || row.comparator_kind === null
        ? null
        : {
            value: row.comparator_value,
            kind: row.comparator_kind,
            source: row.comparator_source,
            period_start: row.comparator_period_start,
            period_end: row.comparator_period_end,
          },
    disaggregation: { ...row.disaggregation },
    flags: [...row.flags],
    suppressed_fields: [],
  };
}

export function toSnapshot(row: SnapshotRow, observations: readonly Observation[], stories: readonly Story[]): Snapshot {
  return {
    id: row.id,
    project_id: row.project_id,
    period_start: row.period_start,
    period_end: row.period_end,
    version: row.version,
    status: row.status,
    submitted_at: row.submitted_at.toISOString(),
    submitted_by: row.submitted_by,
    submitted_via: row.submitted_via,
    observations: [...observations],
    stories: [...stories],
  };
}

import { sql, type RawBuilder } from 'kysely';

/**
 * The current version's whole-population observations (no disaggregation), one row per
 * project, period and metric, with the project's place. With `parts` null, all of them;
 * otherwise the (organisation, project, period) partitions in the named table, where a null
 * period stands for every period of the project.
 */
export function insertOutcomes(runId: number, parts: string | null): RawBuilder<unknown> {
  const only = parts === null
    ? sql``
    : sql`AND EXISTS (
        SELECT 1 FROM ${sql.table(parts)} p
        WHERE p.organisation_id = s.organisation_id AND p.project_id = s.project_id
          AND (p.period_start IS NULL OR (p.period_start = s.period_start AND p.period_end = s.period_end)))`;
  return sql`
    INSERT INTO analytics_outcomes
    SELECT s.organisation_id, s.project_id, pr.place_code, o.metric_key, s.period_start, s.period_end,
           s.id, s.version, o.value, o.numerator, o.denominator, o.comparator_value, o.comparator_kind,
           o.comparator_source, o.comparator_period_start, o.comparator_period_end, o.flags,
           ${sql.lit(runId)}::bigint
    FROM snapshots s
    JOIN projects pr ON pr.organisation_id = s.organisation_id AND pr.id = s.project_id
    JOIN observations o ON o.organisation_id = s.organisation_id AND o.snapshot_id = s.id
    WHERE s.status = 'current' AND o.disaggregation = '{}'::jsonb
    ${only}`;
}

export function deleteOutcomes(parts: string): RawBuilder<unknown> {
  return sql`
    DELETE FROM analytics_outcomes a
    USING ${sql.table(parts)} p
    WHERE a.organisation_id = p.organisation_id AND a.project_id = p.project_id
      AND (p.period_start IS NULL OR (a.period_start = p.period_start AND a.period_end = p.period_end))`;
}

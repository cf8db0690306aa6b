import type { Metric, MetricRow, UnitCost, UnitCostRow } from '@firstmile/schema';

export function toUnitCost(row: UnitCostRow): UnitCost {
  return {
    code: row.code,
    source_reference: row.source_reference,
    label: row.label,
    unit: row.unit,
    value_gbp: row.value_gbp,
    price_year: row.price_year,
    source: row.source,
    edition: row.edition,
    licence: row.licence,
  };
}

export function toMetric(row: MetricRow, unitCost: UnitCostRow | undefined): Metric {
  return {
    key: row.key,
    organisation_id: row.organisation_id,
    label: row.label,
    kind: row.kind,
    polarity: row.polarity,
    theme: row.theme,
    description: row.description,
    unit_cost: unitCost ? toUnitCost(unitCost) : null,
    created_at: row.created_at.toISOString(),
    archived_at: row.archived_at?.toISOString() ?? null,
  };
}

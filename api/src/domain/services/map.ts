import type { Service, ServiceRow } from '@firstmile/schema';

export function toService(row: ServiceRow): Service {
  return {
    id: row.id,
    organisation_id: row.organisation_id,
    name: row.name,
    kind: row.kind,
    place_code: row.place_code,
    project_id: row.project_id,
    unit_cost_gbp_per_contact: row.unit_cost_gbp_per_contact,
    unit_cost_source: row.unit_cost_source,
    created_at: row.created_at.toISOString(),
    archived_at: row.archived_at?.toISOString() ?? null,
  };
}

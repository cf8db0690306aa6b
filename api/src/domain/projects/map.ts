import type { Project, ProjectRow } from '@firstmile/schema';

export function toProject(row: ProjectRow): Project {
  return {
    id: row.id,
    organisation_id: row.organisation_id,
    name: row.name,
    sector: row.sector,
    place_code: row.place_code,
    started_on: row.started_on,
    created_at: row.created_at.toISOString(),
    archived_at: row.archived_at?.toISOString() ?? null,
  };
}

import type { Funding, FundingRow } from '@firstmile/schema';

/** The columns are from_date and to_date; DESIGN.md and the API call them from and to. */
export function toFunding(row: FundingRow): Funding {
  return {
    id: row.id,
    organisation_id: row.organisation_id,
    funder_id: row.funder_id,
    project_id: row.project_id,
    from: row.from_date,
    to: row.to_date,
    amount_gbp: row.amount_gbp,
    created_at: row.created_at.toISOString(),
    archived_at: row.archived_at?.toISOString() ?? null,
  };
}

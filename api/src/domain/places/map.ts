import type { CommissionerPlace, CommissionerPlaceRow, Place, PlaceRow } from '@firstmile/schema';

export function toPlace(row: PlaceRow): Place {
  return { code: row.code, name: row.name, created_at: row.created_at.toISOString() };
}

export function toCommissionerPlace(row: CommissionerPlaceRow): CommissionerPlace {
  return {
    organisation_id: row.organisation_id,
    place_code: row.place_code,
    created_at: row.created_at.toISOString(),
    archived_at: row.archived_at?.toISOString() ?? null,
  };
}

import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { CreatedAt, Timestamp } from './columns.ts';

export const organisationKinds = ['provider', 'funder', 'commissioner', 'platform'] as const;
export type OrganisationKind = (typeof organisationKinds)[number];

export interface OrganisationsTable {
  id: Generated<string>;
  name: string;
  kind: OrganisationKind;
  created_at: CreatedAt;
  archived_at: Timestamp | null;
}
export type OrganisationRow = Selectable<OrganisationsTable>;
export type NewOrganisationRow = Insertable<OrganisationsTable>;
export type OrganisationRowUpdate = Updateable<OrganisationsTable>;

export interface PlacesTable {
  code: string;
  name: string;
  created_at: CreatedAt;
}
export type PlaceRow = Selectable<PlacesTable>;

export interface CommissionerPlacesTable {
  organisation_id: string;
  place_code: string;
  created_at: CreatedAt;
  archived_at: Timestamp | null;
}
export type CommissionerPlaceRow = Selectable<CommissionerPlacesTable>;

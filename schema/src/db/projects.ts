import type { Generated, Insertable, Selectable } from 'kysely';
import type { CreatedAt, IsoDate, Timestamp } from './columns.ts';

export const sectors = [
  'justice', 'health', 'social_care', 'housing', 'community', 'education', 'other',
] as const;
export type Sector = (typeof sectors)[number];

export interface ProjectsTable {
  organisation_id: string;
  id: Generated<string>;
  name: string;
  sector: Sector;
  place_code: string;
  started_on: IsoDate;
  created_at: CreatedAt;
  archived_at: Timestamp | null;
}
export type ProjectRow = Selectable<ProjectsTable>;
export type NewProjectRow = Insertable<ProjectsTable>;

export interface FundingTable {
  /** The provider that owns the funded project. */
  organisation_id: string;
  id: Generated<string>;
  project_id: string;
  funder_id: string;
  from_date: IsoDate;
  to_date: IsoDate | null;
  amount_gbp: number;
  created_at: CreatedAt;
  archived_at: Timestamp | null;
}
export type FundingRow = Selectable<FundingTable>;

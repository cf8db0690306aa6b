import type { Generated, Selectable } from 'kysely';
import type { CreatedAt, Timestamp } from './columns.ts';

export const serviceKinds = [
  'gp_practice', 'emergency_department', 'hospital', 'housing_options', 'probation',
  'social_work', 'mental_health', 'police', 'community_project', 'other',
] as const;
export type ServiceKind = (typeof serviceKinds)[number];

export interface ServicesTable {
  organisation_id: string;
  id: Generated<string>;
  name: string;
  kind: ServiceKind;
  place_code: string;
  /** Set when the service is a Firstmile project's own team. */
  project_id: string | null;
  unit_cost_gbp_per_contact: number | null;
  unit_cost_source: string | null;
  created_at: CreatedAt;
  archived_at: Timestamp | null;
}
export type ServiceRow = Selectable<ServicesTable>;

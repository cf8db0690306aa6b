import type { Generated, Selectable } from 'kysely';
import type { CreatedAt, IsoDate, ReadonlyJson, Timestamp } from './columns.ts';

export const snapshotStatuses = ['current', 'superseded', 'withdrawn'] as const;
export type SnapshotStatus = (typeof snapshotStatuses)[number];
export const submissionChannels = ['api', 'csv', 'form', 'cli', 'generator'] as const;
export type SubmissionChannel = (typeof submissionChannels)[number];
export const comparatorKinds = ['national_average', 'baseline', 'control_group', 'target'] as const;
export type ComparatorKind = (typeof comparatorKinds)[number];

export interface SnapshotsTable {
  organisation_id: string;
  id: Generated<string>;
  project_id: string;
  period_start: IsoDate;
  period_end: IsoDate;
  version: number;
  status: Generated<SnapshotStatus>;
  submitted_at: CreatedAt;
  /** The API key that submitted it; null when loaded by the CLI or the generator. */
  submitted_by: string | null;
  submitted_via: SubmissionChannel;
}
export type SnapshotRow = Selectable<SnapshotsTable>;

export interface ObservationsTable {
  organisation_id: string;
  id: Generated<number>;
  snapshot_id: string;
  metric_key: string;
  /** For proportions the database derives it from numerator ÷ denominator. */
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  comparator_value: number | null;
  comparator_kind: ComparatorKind | null;
  comparator_source: string | null;
  comparator_period_start: IsoDate | null;
  comparator_period_end: IsoDate | null;
  disaggregation: ReadonlyJson<Record<string, string>>;
  flags: ReadonlyJson<string[]>;
}
export type ObservationRow = Selectable<ObservationsTable>;

export const storytellerRoles = ['person', 'family', 'practitioner', 'volunteer', 'other'] as const;
export type StorytellerRole = (typeof storytellerRoles)[number];
export const consentStatuses = ['given', 'withheld', 'not_required_anonymised'] as const;
export type ConsentStatus = (typeof consentStatuses)[number];
export const consentScopes = ['internal', 'funders', 'public'] as const;
export type ConsentScope = (typeof consentScopes)[number];

export interface StoriesTable {
  organisation_id: string;
  id: Generated<string>;
  snapshot_id: string;
  project_id: string;
  title: string;
  body: string;
  themes: ReadonlyJson<string[]>;
  linked_metrics: ReadonlyJson<string[]>;
  storyteller_role: StorytellerRole;
  consent_status: ConsentStatus;
  consent_scope: ConsentScope;
  consent_recorded_on: IsoDate | null;
  anonymised: boolean;
  pii_flags: ReadonlyJson<string[]>;
  pii_cleared_at: Timestamp | null;
  pii_cleared_by: string | null;
  created_at: CreatedAt;
}
export type StoryRow = Selectable<StoriesTable>;

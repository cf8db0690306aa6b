import type { Generated, Selectable } from 'kysely';
import type { IsoDate, ReadonlyJson, Timestamp } from './columns.ts';
import type { ComparatorKind } from './snapshots.ts';


/** What changed since the ETL last ran; filled by triggers on the raw tables. */
export interface EtlQueueTable {
  id: Generated<number>;
  kind: 'project_period' | 'contacts' | 'service' | 'full';
  organisation_id: string | null;
  project_id: string | null;
  period_start: IsoDate | null;
  period_end: IsoDate | null;
  service_id: string | null;
  first_contact_id: number | null;
  last_contact_id: number | null;
  enqueued_at: Generated<Date>;
}

export interface EtlRunsTable {
  id: Generated<number>;
  mode: 'incremental' | 'full';
  started_at: Timestamp;
  finished_at: Timestamp;
  queue_entries: number;
  project_partitions: number;
  people: number;
  service_partitions: number;
  place_partitions: number;
  rows_written: number;
  settings: ReadonlyJson<Record<string, unknown>>;
}
export type EtlRunRow = Selectable<EtlRunsTable>;

/** The current version's whole-population figure for one project, period and metric. */
export interface AnalyticsOutcomesTable {
  organisation_id: string;
  project_id: string;
  place_code: string;
  metric_key: string;
  period_start: IsoDate;
  period_end: IsoDate;
  snapshot_id: string;
  snapshot_version: number;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  comparator_value: number | null;
  comparator_kind: ComparatorKind | null;
  comparator_source: string | null;
  comparator_period_start: IsoDate | null;
  comparator_period_end: IsoDate | null;
  flags: ReadonlyJson<string[]>;
  run_id: number;
}
export type AnalyticsOutcomeRow = Selectable<AnalyticsOutcomesTable>;

export interface AnalyticsContactFactsTable {
  contact_id: number;
  organisation_id: string;
  service_id: string;
  place_code: string;
  person_ref: string;
  /** A 64-bit hash of person_ref (hashtextextended): narrow enough to count people fast. */
  person_key: number;
  occurred_at: Timestamp;
  /** year × 12 + month − 1 of its UK calendar month. */
  month_index: number;
  minutes: number;
  /** The contact's own cost, else its service's unit cost, in pence; null when neither is known. */
  cost_pence: number | null;
  /** Its outcome was 'resolved': it ends its episode. */
  resolves: boolean;
  /** The id of the episode's first contact. */
  episode_id: number;
  is_repeat: boolean;
}

export interface AnalyticsEpisodesTable {
  episode_id: number;
  person_key: number;
  started_at: Timestamp;
  ended_at: Timestamp;
  resolved: boolean;
  /** Where and in which month the need was resolved; null while unresolved. */
  place_code: string | null;
  resolved_month_index: number | null;
  contacts: number;
  minutes: number;
  cost_pence: number | null;
  costed_contacts: number;
  services: number;
}

export interface AnalyticsServicePeriodsTable {
  organisation_id: string;
  service_id: string;
  /** The project the service is the team of, if any. */
  project_id: string | null;
  place_code: string;
  grain: 'month' | 'quarter' | 'year';
  period_start: IsoDate;
  period_end: IsoDate;
  contacts: number;
  people: number;
  minutes: number;
  cost_gbp: number | null;
  costed_contacts: number;
  repeat_contacts: number;
  run_id: number;
}
export type AnalyticsServicePeriodRow = Selectable<AnalyticsServicePeriodsTable>;

export interface AnalyticsPlacePeriodsTable {
  place_code: string;
  grain: 'month' | 'quarter' | 'year';
  period_start: IsoDate;
  period_end: IsoDate;
  contacts: number;
  people: number;
  /** Distinct episodes with a contact in the period. */
  needs: number;
  services: number;
  minutes: number;
  cost_gbp: number | null;
  costed_contacts: number;
  repeat_contacts: number;
  /** Episodes whose resolving contact falls in the period, and their totals over every service and period. */
  needs_resolved: number;
  resolved_contacts: number;
  resolved_minutes: number;
  resolved_cost_gbp: number | null;
  resolved_costed_contacts: number;
  /** Σ over resolved episodes of the distinct services each met. */
  resolved_services: number;
  run_id: number;
}
export type AnalyticsPlacePeriodRow = Selectable<AnalyticsPlacePeriodsTable>;

/** One row written with the unlogged facts; missing after a crash emptied them. */
export interface AnalyticsUnloggedWitnessTable {
  written_by_run: number;
}

import type {
  AnalyticsContactFactsTable, AnalyticsEpisodesTable, AnalyticsOutcomesTable, AnalyticsPlacePeriodsTable,
  AnalyticsServicePeriodsTable, AnalyticsUnloggedWitnessTable, EtlQueueTable, EtlRunsTable,
} from './analytics.ts';
import type { ApiKeysTable } from './api-keys.ts';
import type { AuditLogTable, IdempotencyKeysTable } from './audit.ts';
import type { ContactsTable } from './contacts.ts';
import type { MetricsTable, UnitCostsTable } from './metrics.ts';
import type { CommissionerPlacesTable, OrganisationsTable, PlacesTable } from './organisations.ts';
import type { FundingTable, ProjectsTable } from './projects.ts';
import type { ServicesTable } from './services.ts';
import type { ObservationsTable, SnapshotsTable, StoriesTable } from './snapshots.ts';

/** Every table Firstmile keeps, as Kysely sees it. */
export interface Database {
  organisations: OrganisationsTable;
  places: PlacesTable;
  commissioner_places: CommissionerPlacesTable;
  api_keys: ApiKeysTable;
  projects: ProjectsTable;
  funding: FundingTable;
  services: ServicesTable;
  unit_costs: UnitCostsTable;
  metrics: MetricsTable;
  snapshots: SnapshotsTable;
  observations: ObservationsTable;
  stories: StoriesTable;
  contacts: ContactsTable;
  audit_log: AuditLogTable;
  idempotency_keys: IdempotencyKeysTable;
  etl_queue: EtlQueueTable;
  etl_runs: EtlRunsTable;
  analytics_outcomes: AnalyticsOutcomesTable;
  analytics_contact_facts: AnalyticsContactFactsTable;
  analytics_episodes: AnalyticsEpisodesTable;
  analytics_service_periods: AnalyticsServicePeriodsTable;
  analytics_place_periods: AnalyticsPlacePeriodsTable;
  analytics_unlogged_witness: AnalyticsUnloggedWitnessTable;
}

import type {
  CommissionerPlacesTable, FundingTable, ObservationsTable, OrganisationsTable, PlacesTable, ProjectsTable,
  ServicesTable, SnapshotsTable, StoriesTable,
} from '@firstmile/schema';
import type { Insertable } from 'kysely';
import type { PlannedObservation, PlannedSnapshot, PlannedStory } from './snapshots.ts';
import type {
  PlannedCommissionerPlace, PlannedFunding, PlannedOrganisation, PlannedPlace, PlannedProject, PlannedService,
} from './world-plan.ts';

/** The plan's camelCase objects as the snake_case rows the tables take. */

export const placeRow = (p: PlannedPlace): Insertable<PlacesTable> => ({ code: p.code, name: p.name });

export const organisationRow = (o: PlannedOrganisation): Insertable<OrganisationsTable> => ({ id: o.id, name: o.name, kind: o.kind });

export const commissionerPlaceRow = (c: PlannedCommissionerPlace): Insertable<CommissionerPlacesTable> => ({
  organisation_id: c.organisationId, place_code: c.placeCode,
});

export const projectRow = (p: PlannedProject): Insertable<ProjectsTable> => ({
  organisation_id: p.organisationId, id: p.id, name: p.name, sector: p.sector, place_code: p.placeCode, started_on: p.startedOn,
});

export const fundingRow = (f: PlannedFunding): Insertable<FundingTable> => ({
  organisation_id: f.organisationId, id: f.id, project_id: f.projectId, funder_id: f.funderId,
  from_date: f.fromDate, to_date: f.toDate, amount_gbp: f.amountGbp,
});

export function serviceRow(s: PlannedService): Insertable<ServicesTable> {
  const cost = s.costing.kind === 'per_contact' ? { unit_cost_gbp_per_contact: s.costing.gbp, unit_cost_source: s.costing.source }
    // Priced by the hour: each contact carries its own cost, and the service says where the rate comes from.
    : s.costing.kind === 'per_hour' ? { unit_cost_gbp_per_contact: null, unit_cost_source: s.costing.source }
    : { unit_cost_gbp_per_contact: null, unit_cost_source: null };
  return {
    organisation_id: s.organisationId, id: s.id, name: s.name, kind: s.kind, place_code: s.placeCode, project_id: s.projectId, ...cost,
  };
}

export const snapshotRow = (s: PlannedSnapshot): Insertable<SnapshotsTable> => ({
  organisation_id: s.organisationId, id: s.id, project_id: s.projectId, period_start: s.periodStart, period_end: s.periodEnd,
  version: s.version, status: s.status, submitted_at: s.submittedAt, submitted_by: null, submitted_via: 'generator',
});

export const observationRow = (o: PlannedObservation): Insertable<ObservationsTable> => ({
  organisation_id: o.organisationId,
  snapshot_id: o.snapshotId,
  metric_key: o.metricKey,
  value: o.value,
  numerator: o.numerator,
  denominator: o.denominator,
  comparator_value: o.comparator?.value ?? null,
  comparator_kind: o.comparator?.kind ?? null,
  comparator_source: o.comparator?.source ?? null,
  comparator_period_start: o.comparator?.period?.start ?? null,
  comparator_period_end: o.comparator?.period?.end ?? null,
  // Sent as JSON text, so the jsonb column gets exactly this object whatever the driver converts.
  disaggregation: JSON.stringify(o.disaggregation),
});

export const storyRow = (s: PlannedStory): Insertable<StoriesTable> => ({
  organisation_id: s.organisationId,
  id: s.id,
  snapshot_id: s.snapshotId,
  project_id: s.projectId,
  title: s.title,
  body: s.body,
  themes: [...s.themes],
  linked_metrics: [...s.linkedMetrics],
  storyteller_role: s.storytellerRole,
  consent_status: s.consentStatus,
  consent_scope: s.consentScope,
  consent_recorded_on: s.consentRecordedOn,
  anonymised: s.anonymised,
});

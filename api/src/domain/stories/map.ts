import type { Story, StoryRow } from '@firstmile/schema';

export function toStory(row: StoryRow): Story {
  return {
    id: row.id,
    snapshot_id: row.snapshot_id,
    project_id: row.project_id,
    title: row.title,
    body: row.body,
    themes: [...row.themes],
    linked_metrics: [...row.linked_metrics],
    storyteller_role: row.storyteller_role,
    consent: { status: row.consent_status, scope: row.consent_scope, recorded_on: row.consent_recorded_on },
    anonymised: row.anonymised,
    pii_flags: [...row.pii_flags],
    pii_cleared_at: row.pii_cleared_at?.toISOString() ?? null,
    pii_cleared_by: row.pii_cleared_by,
    created_at: row.created_at.toISOString(),
  };
}

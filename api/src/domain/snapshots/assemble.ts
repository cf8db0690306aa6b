import type { Observation, Snapshot, Story } from '@firstmile/schema';
import { toStory } from '../stories/map.ts';
import { toObservation, toSnapshot } from './map.ts';
import type { SnapshotRows } from './repository.ts';

/** Rows to response objects, each snapshot with its own observations and stories. */
export function assembleSnapshots(rows: SnapshotRows): Snapshot[] {
  const observations = new Map<string, Observation[]>();
  for (const row of rows.observations) {
    const list = observations.get(row.snapshot_id) ?? [];
    list.push(toObservation(row));
    observations.set(row.snapshot_id, list);
  }
  const stories = new Map<string, Story[]>();
  for (const row of rows.stories) {
    const list = stories.get(row.snapshot_id) ?? [];
    list.push(toStory(row));
    stories.set(row.snapshot_id, list);
  }
  return rows.snapshots.map((s) => toSnapshot(s, observations.get(s.id) ?? [], stories.get(s.id) ?? []));
}

import type { Kysely } from 'kysely';
import type { Database, ImportAccepted, SnapshotImportResult } from '@firstmile/schema';
import type { Actor } from '../../http/env.ts';
import { recordAudit } from '../audit.ts';
import { ValidationError } from '../errors.ts';
import { assembleSnapshots } from './assemble.ts';
import { parseSnapshotCsv, type CsvObservation } from './csv.ts';
import { catalogueFor, snapshotRows, writableProject } from './repository.ts';
import { storeVersion } from './store.ts';

/** The most rejections a refused file (422) lists; the rest are counted. */
export const MAX_LISTED_REJECTIONS = 100;

/**
 * `POST /v1/projects/{projectId}/snapshots:import`: figures for one or many periods from a CSV.
 * Good rows are stored as one new version per period present (superseding the current one,
 * like a JSON submission; a CSV carries no stories, so the new version has none); bad rows are
 * reported by line and never stop the good ones. A file with nothing usable is a 422.
 */
export async function importSnapshotsCsv({ db, actor, projectId, text }: { db: Kysely<Database>; actor: Actor; projectId: string; text: string }): Promise<SnapshotImportResult> {
  const project = await writableProject(db, actor, projectId);
  const { observations, rejected } = await parseSnapshotCsv(text, await catalogueFor(db, project.organisation_id));
  if (observations.length === 0) {
    const listed = rejected.slice(0, MAX_LISTED_REJECTIONS).map((r) => ({ path: r.field === '' ? `lines[${r.line}]` : `lines[${r.line}].${r.field}`, message: r.reason }));
    const left = rejected.length - listed.length;
    if (left > 0) listed.push({ path: '', message: `${left} more ${left === 1 ? 'problem' : 'problems'} not listed` });
    if (listed.length === 0) listed.push({ path: '', message: 'the file has a header but no rows' });
    throw new ValidationError(listed, 'no row of the file could be accepted');
  }

  // One version per period, oldest first, so each period's outlier check sees the ones before
  // it and concurrent imports take their period locks in the same order.
  const periods = new Map<string, CsvObservation[]>();
  for (const row of observations) {
    const key = `${row.period_start}/${row.period_end}`;
    const list = periods.get(key) ?? [];
    list.push(row);
    periods.set(key, list);
  }
  // ISO dates of equal width sort as text; "start/end" keys sort by start, then end.
  const ordered = [...periods.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, rows]) => rows);

  const accepted: ImportAccepted[] = [];
  const snapshotIds: string[] = [];
  for (const rows of ordered) {
    const stored = await storeVersion(db, actor, {
      project,
      periodStart: rows[0]!.period_start,
      periodEnd: rows[0]!.period_end,
      observations: rows.map((r) => r.observation),
      stories: [],
      via: 'csv',
    });
    snapshotIds.push(stored.id);
    for (const r of rows) {
      accepted.push({ line: r.line, period_start: r.period_start, metric_key: r.observation.metric_key, snapshot_id: stored.id, version: stored.version });
    }
  }
  accepted.sort((a, b) => a.line - b.line);
  await recordAudit(db, actor, {
    action: 'snapshot.import',
    entity: 'project',
    entityId: project.id,
    organisationId: project.organisation_id,
    details: { accepted: accepted.length, rejected: rejected.length, snapshot_ids: snapshotIds },
  });
  const snapshots = assembleSnapshots(await snapshotRows(db, actor, project, snapshotIds));
  return { accepted, rejected, snapshots };
}

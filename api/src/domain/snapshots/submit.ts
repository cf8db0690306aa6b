import type { Kysely } from 'kysely';
import { formatPath, type Database, type Snapshot, type SnapshotCreate } from '@firstmile/schema';
import type { Actor } from '../../http/env.ts';
import { ValidationError, type ProblemDetail } from '../errors.ts';
import { assembleSnapshots } from './assemble.ts';
import { catalogueProblems, type CatalogueMetric } from './catalogue.ts';
import { catalogueFor, snapshotRows, writableProject } from './repository.ts';
import { storeVersion } from './store.ts';

/** Every way the submission disagrees with the catalogue, each at its path in the body. */
export function submissionProblems(input: SnapshotCreate, catalogue: ReadonlyMap<string, CatalogueMetric>): ProblemDetail[] {
  const problems: ProblemDetail[] = [];
  input.observations.forEach((o, i) => {
    for (const p of catalogueProblems(o, catalogue.get(o.metric_key))) {
      problems.push({ path: formatPath(['observations', i, ...p.path]), message: p.message });
    }
  });
  input.stories.forEach((s, i) => {
    s.linked_metrics.forEach((key, j) => {
      if (!catalogue.has(key)) {
        problems.push({ path: formatPath(['stories', i, 'linked_metrics', j]), message: `"${key}" is not a metric in the catalogue` });
      }
    });
  });
  return problems;
}

/**
 * `POST /v1/projects/{projectId}/snapshots`: a submitter of the project's organisation (or an
 * admin) submits one period. A second submission of the same period becomes version n + 1 and
 * supersedes the first, which is kept. Nothing is stored unless everything is valid.
 */
export async function submitSnapshot({ db, actor, projectId, input }: { db: Kysely<Database>; actor: Actor; projectId: string; input: SnapshotCreate }): Promise<Snapshot> {
  const project = await writableProject(db, actor, projectId);
  const problems = submissionProblems(input, await catalogueFor(db, project.organisation_id));
  if (problems.length > 0) throw new ValidationError(problems, 'the snapshot does not fit the metric catalogue');
  const stored = await storeVersion(db, actor, {
    project,
    periodStart: input.period_start,
    periodEnd: input.period_end,
    observations: input.observations,
    stories: input.stories,
    via: 'api',
  });
  const [snapshot] = assembleSnapshots(await snapshotRows(db, actor, project, [stored.id]));
  if (!snapshot) throw new Error(`snapshot ${stored.id} was stored but cannot be read back`);
  return snapshot;
}

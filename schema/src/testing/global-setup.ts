import type { TestProject } from 'vitest/node';
import { startTestClusters } from './clusters.ts';
import { dropTemplate, prepareTemplate } from './test-database.ts';

import './provided-context.ts';

/** Vitest global setup: one embedded cluster and one server for the whole run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const clusters = await startTestClusters();
  const targets = await Promise.all(clusters.targets.map(prepareTemplate));
  for (const t of targets) console.log(`[firstmile tests] ${t.name} PostgreSQL: ${t.description}`);
  project.provide('pgTargets', targets);
  return async () => {
    for (const t of targets) await dropTemplate(t).catch(() => {});
    await clusters.stop();
  };
}

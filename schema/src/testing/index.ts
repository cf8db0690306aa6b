import { inject } from 'vitest';
import './provided-context.ts';
import type { PreparedTarget } from './test-database.ts';

export { startTestClusters, findSystemPostgres, startSystemPostgres, type TestTarget } from './clusters.ts';
export { createTestDatabase, databaseUrl, type PreparedTarget, type TestDatabase } from './test-database.ts';

/** The embedded cluster and the server this run started, for `describe.each`. */
export function pgTargets(): PreparedTarget[] {
  const targets = inject('pgTargets');
  if (!targets || targets.length === 0) {
    throw new Error('no PostgreSQL targets: run the tests through the root vitest config (npm test)');
  }
  return targets;
}

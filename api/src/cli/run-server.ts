import type { Config, DatabaseHandle } from '@firstmile/schema';
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
  const server = await serve(createApp({ handle, pseudonymiser: key.pseudonymiser }), { host: config.host, port: config.port });
  console.log(`Firstmile is serving at ${server.url} (database: ${handle.kind}, ${handle.location})`);
  console.log(`  health: ${server.url}/health`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  console.log('stopping…');
  await server.close();
  await handle.close();
}

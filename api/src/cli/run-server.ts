import type { Config, DatabaseHandle } from '@firstmile/schema';
import { createApp } from '../app.ts';
import { serve } from '../serve.ts';

/** Serves until SIGINT/SIGTERM, then closes the server and the database in order. */
export async function serveUntilStopped(handle: DatabaseHandle, config: Config): Promise<void> {
  const server = await serve(createApp({ handle }), { host: config.host, port: config.port });
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

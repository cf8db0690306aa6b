import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { DatabaseHandle } from '@firstmile/schema';
import { healthRoutes } from './routes/health/index.ts';
import { firstmileVersion } from './version.ts';

export interface AppDependencies {
  handle: DatabaseHandle;
  version?: string;
}

/** Builds the whole HTTP application; tests drive it with `app.request()`. */
export function createApp({ handle, version = firstmileVersion }: AppDependencies) {
  const app = new Hono();
  app.route('/health', healthRoutes(handle, version));

  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } }, 404));
  app.onError((error, c) => {
    if (error instanceof HTTPException) {
      return c.json({ error: { code: 'http_error', message: error.message } }, error.status);
    }
    // A 500 is always our bug: log it, and never send stack traces or SQL to the caller.
    console.error(error);
    return c.json({ error: { code: 'internal', message: 'internal error' } }, 500);
  });
  return app;
}

export type FirstmileApp = ReturnType<typeof createApp>;

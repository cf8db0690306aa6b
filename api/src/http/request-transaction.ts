import type { MiddlewareHandler } from 'hono';
import { sql } from 'kysely';
import type { DatabaseHandle } from '@firstmile/schema';
import type { AppEnv } from './env.ts';

class Rollback extends Error {}

/**
 * One transaction per request, as the confined `firstmile_app` role with the caller's
 * organisation and role set for row-level security. Any error or 4xx/5xx answer rolls
 * everything back, so a refused request never leaves half a write behind.
 */
export function requestTransaction(handle: DatabaseHandle, options: { rowLevelSecurity: boolean } = { rowLevelSecurity: true }): MiddlewareHandler<AppEnv> {
  return async function requestTransaction(c, next) {
    const actor = c.get('actor');
    try {
      await handle.db.transaction().execute(async (trx) => {
        if (options.rowLevelSecurity) await sql`SET LOCAL ROLE firstmile_app`.execute(trx);
        await sql`
          SELECT set_config('app.organisation_id', ${actor.organisationId}, true),
                 set_config('app.role', ${actor.role}, true),
                 set_config('statement_timeout', '30s', true)
        `.execute(trx);
        c.set('db', trx);
        await next();
        if (c.error || c.res.status >= 400) throw new Rollback();
      });
    } catch (error) {
      if (!(error instanceof Rollback)) throw error;
    }
  };
}

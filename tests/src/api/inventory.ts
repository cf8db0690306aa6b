import type { Hono, MiddlewareHandler } from 'hono';
import type { AppEnv } from '@firstmile/api';
import { actorForKey } from '@firstmile/api/testing';
import type { TestDatabase } from '@firstmile/schema/testing';

/** `METHOD /path/{param}` for every concrete route the app serves (middleware excluded). */
export function routeInventory(app: Hono<any, any, any>): string[] {
  const seen = new Set<string>();
  for (const route of app.routes) {
    if (route.method === 'ALL') continue;
    const path = route.path.replace(/\/:([A-Za-z_][A-Za-z0-9_]*)(\{[^}]*\})?/g, '/{$1}');
    seen.add(`${route.method} ${path}`);
  }
  return [...seen].sort();
}

/** Sets the actor the way the real middleware does, for a stand-alone app under test. */
export function authenticateForTest(t: TestDatabase, key: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('actor', await actorForKey(t.db, key));
    await next();
  };
}

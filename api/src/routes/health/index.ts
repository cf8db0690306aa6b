import { Hono } from 'hono';
import { databaseStatus, latestMigration, type DatabaseHandle } from '@firstmile/schema';

export interface HealthBody {
  status: 'ok' | 'unavailable';
  version: string;
  database: {
    kind: DatabaseHandle['kind'];
    server_version: string | null;
    migration: string | null;
    latest_migration: string;
  };
}

/** Liveness and what the server runs on: database kind and migration version. */
export function healthRoutes(handle: DatabaseHandle, version: string) {
  return new Hono().get('/', async (c) => {
    try {
      const status = await databaseStatus(handle);
      const body: HealthBody = {
        status: status.migration === latestMigration ? 'ok' : 'unavailable',
        version,
        database: {
          kind: status.kind,
          server_version: status.serverVersion,
          migration: status.migration,
          latest_migration: latestMigration,
        },
      };
      return c.json(body, body.status === 'ok' ? 200 : 503);
    } catch {
      const body: HealthBody = {
        status: 'unavailable',
        version,
        database: { kind: handle.kind, server_version: null, migration: null, latest_migration: latestMigration },
      };
      return c.json(body, 503);
    }
  });
}

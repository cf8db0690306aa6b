import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { databaseStatus, latestMigration, type DatabaseHandle } from '@firstmile/schema';
import { json } from '../../http/json.ts';

export const HealthBody = z.strictObject({
  status: z.enum(['ok', 'unavailable']).describe('ok when the database answers and is at the latest migration'),
  version: z.string().describe('The Firstmile version'),
  database: z.strictObject({
    kind: z.enum(['embedded', 'server']).describe('embedded: the PostgreSQL Firstmile runs itself; server: DATABASE_URL'),
    server_version: z.string().nullable(),
    migration: z.string().nullable().describe('The newest migration applied'),
    latest_migration: z.string().describe('The newest migration this version of Firstmile knows'),
  }),
});
export type HealthBody = z.infer<typeof HealthBody>;

const route = createRoute({
  method: 'get',
  path: '/health',
  tags: ['Operations'],
  summary: 'Liveness, and what the server runs on: database kind and migration version',
  responses: {
    200: { description: 'Serving', ...json(HealthBody) },
    503: { description: 'The database is unreachable or not migrated', ...json(HealthBody) },
  },
});

export function healthRoutes(handle: DatabaseHandle, version: string) {
  return new OpenAPIHono().openapi(route, async (c) => {
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
      return body.status === 'ok' ? c.json(body, 200) : c.json(body, 503);
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

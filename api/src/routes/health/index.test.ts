import { createTestDatabase, pgTargets, type TestDatabase } from '@firstmile/schema/testing';
import { latestMigration } from '@firstmile/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.ts';
import type { HealthBody } from './index.ts';

describe.each(pgTargets())('GET /health on the $name PostgreSQL', (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(target);
  });
  afterAll(() => t.drop());

  it('reports the database kind, server version and migration version', async () => {
    const app = createApp({ handle: t, version: '9.9.9' });
    const response = await app.request('/health');
    expect(response.status).toBe(200);
    const body = (await response.json()) as HealthBody;
    expect(body).toMatchObject({
      status: 'ok',
      version: '9.9.9',
      database: { kind: 'server', migration: latestMigration, latest_migration: latestMigration },
    });
    expect(body.database.server_version).toMatch(/^\d+\.\d+/);
  });

  it('answers 503, not 500, when the database is gone', async () => {
    const gone = await createTestDatabase(target);
    await gone.drop();
    const response = await createApp({ handle: gone }).request('/health');
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 'unavailable', database: { migration: null } });
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await createApp({ handle: t }).request('/nowhere');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'not_found', message: 'no route for GET /nowhere' } });
  });
});

import { OpenAPIHono } from '@hono/zod-openapi';
import { apiRoute, createApp, routePolicy, type AppEnv, type FirstmileApp } from '@firstmile/api';
import { createTenants, call, type Tenants } from '@firstmile/api/testing';
import { createTestDatabase, pgTargets, type TestDatabase } from '@firstmile/schema/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { authenticateForTest, routeInventory } from './inventory.ts';

/** Documentation endpoints describe the API; they are not part of it. */
const undocumented = new Set(['GET /openapi.json', 'GET /docs', 'GET /docs/swagger-ui.css', 'GET /docs/swagger-ui-bundle.js', 'GET /docs/start.js']);

describe('the route inventory', () => {
  let t: TestDatabase;
  let app: FirstmileApp;
  let w: Tenants;
  let documented: Set<string>;
  beforeAll(async () => {
    t = await createTestDatabase(pgTargets()[0]!);
    app = createApp({ handle: t });
    w = await createTenants(t.db);
    const doc = (await call(app, 'GET', '/openapi.json')).body as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    documented = new Set(Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`)));
  });
  afterAll(() => t.drop());

  it('documents every route the app serves in /openapi.json', () => {
    const served = routeInventory(app).filter((r) => !undocumented.has(r));
    expect(served.length).toBeGreaterThan(5);
    expect(served.filter((r) => !documented.has(r))).toEqual([]);
  });

  it('serves every route the document describes', () => {
    const served = new Set(routeInventory(app));
    expect([...documented].filter((r) => !served.has(r))).toEqual([]);
  });

  it('gives every /v1 route an entry in the policy table, and the table no stale entries', async () => {
    const v1 = routeInventory(app).filter((r) => r.split(' ')[1]!.startsWith('/v1/'));
    expect(v1.filter((r) => !(r in routePolicy))).toEqual([]);
    expect(Object.keys(routePolicy).filter((r) => !v1.includes(r))).toEqual([]);
  });

  it('denies a route that is missing from the policy table', async () => {
    const unlisted = new OpenAPIHono<AppEnv>();
    unlisted.use(authenticateForTest(t, w.keys.admin));
    unlisted.openapi(
      apiRoute({ method: 'get', path: '/v1/unlisted', responses: { 200: { description: 'never', content: { 'application/json': { schema: z.object({}) } } } } }),
      (c) => c.json({}, 200),
    );
    unlisted.onError((error, c) => c.json({ message: error.message }, 403));
    const response = await unlisted.request('/v1/unlisted');
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: 'GET /v1/unlisted has no access policy' });
  });

  it('serves a browsable reference at /docs without reaching the internet', async () => {
    const page = await app.request('/docs');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('/docs/swagger-ui-bundle.js');
    expect(html).not.toMatch(/https?:\/\/(unpkg|cdn)/);
    const bundle = await app.request('/docs/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
  });
});

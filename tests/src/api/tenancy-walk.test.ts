import { sql } from 'kysely';
import { createApp, type FirstmileApp } from '@firstmile/api';
import { createTenants, testPseudonymiser, type Tenants } from '@firstmile/api/testing';
import { createTestDatabase, pgTargets, type TestDatabase } from '@firstmile/schema/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeInventory } from './inventory.ts';
import { aboutB, sampleWorld, type ProviderObjects, type RequestSample } from './samples.ts';

/** Everything stored, as one text: a refused request must leave it as it was. */
async function contentsOf(t: TestDatabase): Promise<string> {
  const tables = ['organisations', 'places', 'commissioner_places', 'api_keys', 'projects', 'funding', 'services', 'unit_costs', 'metrics', 'snapshots', 'observations', 'stories', 'contacts', 'idempotency_keys'];
  const parts: string[] = [];
  for (const table of tables) {
    const { rows } = await sql<{ digest: string | null }>`SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest FROM ${sql.table(table)} t`.execute(t.db);
    parts.push(`${table}:${rows[0]?.digest}`);
  }
  return parts.join(' ');
}

async function send(app: FirstmileApp, sample: RequestSample, key: string) {
  const body = sample.text ?? (sample.body === undefined ? undefined : JSON.stringify(sample.body));
  const response = await app.request(sample.path, {
    method: sample.method,
    headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': sample.contentType ?? 'application/json' } : {}) },
    body,
  });
  return { status: response.status, text: await response.text() };
}

/**
 * Organisation A walks every route with organisation B's ids. Run with row-level security
 * on (the deployment) and off (the application's own checks alone), so each wall is shown
 * to hold by itself.
 */
describe.each(pgTargets().flatMap((target) => [true, false].map((rowLevelSecurity) => ({ target, rowLevelSecurity, name: target.name }))))(
  'organisation A against B on the $name PostgreSQL (row-level security $rowLevelSecurity)',
  ({ target, rowLevelSecurity }) => {
    let t: TestDatabase;
    let app: FirstmileApp;
    let w: Tenants;
    let samples: RequestSample[];
    let a: ProviderObjects;
    let b: ProviderObjects;
    let secretsOfB: string[];
    beforeAll(async () => {
      t = await createTestDatabase(target);
      app = createApp({ handle: t, rowLevelSecurity, pseudonymiser: testPseudonymiser() });
      w = await createTenants(t.db);
      ({ samples, a, b } = await sampleWorld(app, t, w));
      const names = await t.db.selectFrom('projects').select('name').where('organisation_id', '=', w.ids.providerB).execute();
      const stories = await t.db.selectFrom('stories').select('body').where('organisation_id', '=', w.ids.providerB).execute();
      secretsOfB = [...Object.values(b), ...names.map((n) => n.name), ...stories.map((s) => s.body)];
    });
    afterAll(() => t.drop());

    it('covers every /v1 route', () => {
      // A query string is not part of the route.
      const walked = new Set(samples.map((s) => `${s.method} ${s.path.split('?')[0]!.replace(/[0-9a-f-]{36}/g, '{id}')}`));
      const v1 = routeInventory(app).filter((r) => r.includes(' /v1/'));
      expect(v1.length).toBeGreaterThan(20);
      for (const route of v1) {
        const [method, path] = route.split(' ') as [string, string];
        const shape = path.replace(/\{[^}]+\}/g, '{id}');
        const covered = [...walked].some((w) => {
          const [m, p] = w.split(' ') as [string, string];
          return m === method && (p === shape || p.replace(/\/[^/{]+$/, '/{id}') === shape || p.replace(/DEMO-[A-Z]+/g, '{id}') === shape);
        });
        expect(covered, `${route} has no sample`).toBe(true);
      }
    });

    it("never lets A see or change B's objects, by id or in a list", async () => {
      for (const key of [w.keys.submitterA, w.keys.analystA]) {
        for (const sample of samples) {
          const request = aboutB(sample, a, b);
          const before = await contentsOf(t);
          const { status, text } = await send(app, request, key);
          const what = `${request.method} ${request.path} as A`;
          const mentionsB = request.path !== sample.path || JSON.stringify(request.body ?? '') !== JSON.stringify(sample.body ?? '') || request.text !== sample.text;
          if (mentionsB) {
            // About B: refused, whichever way, and nothing stored.
            expect([403, 404, 422], `${what}: ${status} ${text.slice(0, 300)}`).toContain(status);
            expect(await contentsOf(t), `${what} changed stored data`).toBe(before);
          }
          // An error may repeat what the caller sent (the id it asked for), nothing more.
          const sent = `${request.path} ${JSON.stringify(request.body ?? '')} ${request.text ?? ''}`;
          for (const secret of secretsOfB.filter((s) => !sent.includes(s))) {
            expect(text, `${what} revealed ${secret.slice(0, 40)}`).not.toContain(secret);
          }
        }
      }
    });
  },
);

import { createTestDatabase, pgTargets, type TestDatabase } from '@firstmile/schema/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type FirstmileApp } from '../../app.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { listCommissionerPlaces } from '../../domain/places/read.ts';
import { call, createTenants, type Tenants } from '../../testing/index.ts';
import { asTenant } from '../../testing/tenant-transaction.ts';

describe.each(pgTargets())('places on the $name PostgreSQL', (target) => {
  let t: TestDatabase;
  let app: FirstmileApp;
  let w: Tenants;
  beforeAll(async () => {
    t = await createTestDatabase(target);
    app = createApp({ handle: t });
    w = await createTenants(t.db);
  });
  afterAll(() => t.drop());

  const linksOf = (organisationId: string) => `/v1/organisations/${organisationId}/places`;
  const codes = async (key: string, organisationId = w.ids.commissioner) =>
    ((await call(app, 'GET', linksOf(organisationId), { key })).body.places as Array<{ place_code: string; archived_at: string | null }>).map((p) => [p.place_code, p.archived_at === null]);
  const audit = (entity: string) =>
    t.db.selectFrom('audit_log').select(['action', 'actor_role', 'organisation_id', 'entity_id', 'details']).where('entity', '=', entity).orderBy('id').execute();

  describe("a commissioner's places", () => {
    it('are read by the commissioner itself and by admins', async () => {
      const own = await call(app, 'GET', linksOf(w.ids.commissioner), { key: w.keys.commissioner });
      expect(own.status).toBe(200);
      expect(own.body.places).toEqual([{ organisation_id: w.ids.commissioner, place_code: 'DEMO-NORTHFIELD', created_at: expect.any(String), archived_at: null }]);
      expect((await call(app, 'GET', linksOf(w.ids.commissioner), { key: w.keys.admin })).body).toEqual(own.body);
      expect(await codes(w.keys.analystA, w.ids.providerA)).toEqual([]);
    });

    it("answer 404 to anyone else, and 403 to roles that hold no places", async () => {
      expect(await call(app, 'GET', linksOf(w.ids.commissioner), { key: w.keys.analystA })).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
      expect((await call(app, 'GET', linksOf(w.ids.providerA), { key: w.keys.commissioner })).status).toBe(404);
      expect((await call(app, 'GET', linksOf('00000000-0000-0000-0000-000000000000'), { key: w.keys.admin })).status).toBe(404);
      for (const key of [w.keys.submitterA, w.keys.funder]) {
        expect(await call(app, 'GET', linksOf(w.ids.commissioner), { key })).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
      }
    });

    it('are linked by admins only, to commissioner organisations only', async () => {
      const created = await call(app, 'POST', linksOf(w.ids.commissioner), { key: w.keys.admin, body: { place_code: ' E08000003 ' } });
      expect(created).toMatchObject({ status: 201, body: { organisation_id: w.ids.commissioner, place_code: 'E08000003', archived_at: null } });
      expect(await codes(w.keys.commissioner)).toEqual([['DEMO-NORTHFIELD', true], ['E08000003', true]]);
      expect(await audit('commissioner_place')).toEqual([
        { action: 'commissioner_place.create', actor_role: 'admin', organisation_id: w.ids.commissioner, entity_id: 'E08000003', details: {} },
      ]);

      const again = await call(app, 'POST', linksOf(w.ids.commissioner), { key: w.keys.admin, body: { place_code: 'E08000003' } });
      expect(again).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
      const provider = await call(app, 'POST', linksOf(w.ids.providerA), { key: w.keys.admin, body: { place_code: 'E08000003' } });
      expect(provider).toMatchObject({
        status: 422,
        body: { error: { code: 'validation_failed', details: [{ path: 'id', message: 'places are linked to commissioner organisations, not to a provider' }] } },
      });
      expect((await call(app, 'POST', linksOf('00000000-0000-0000-0000-000000000000'), { key: w.keys.admin, body: { place_code: 'X' } })).status).toBe(404);
      const invalid = await call(app, 'POST', linksOf(w.ids.commissioner), { key: w.keys.admin, body: { place_code: '', name: 'x' } });
      expect(invalid.body.error.details).toEqual([{ path: 'place_code', message: 'must not be empty' }, { path: 'name', message: 'unknown field' }]);
      const byCommissioner = await call(app, 'POST', linksOf(w.ids.commissioner), { key: w.keys.commissioner, body: { place_code: 'E09000001' } });
      expect(byCommissioner.status).toBe(403);
      expect(await t.db.selectFrom('commissioner_places').select('place_code').where('organisation_id', '=', w.ids.providerA).execute()).toEqual([]);
      expect(await codes(w.keys.commissioner)).toEqual([['DEMO-NORTHFIELD', true], ['E08000003', true]]);
    });

    it('are archived and restored by PATCH, never deleted', async () => {
      const link = `${linksOf(w.ids.commissioner)}/E08000003`;
      const archived = await call(app, 'PATCH', link, { key: w.keys.admin, body: { archived: true } });
      expect(archived).toMatchObject({ status: 200, body: { place_code: 'E08000003', archived_at: expect.any(String) } });
      expect(await codes(w.keys.commissioner)).toEqual([['DEMO-NORTHFIELD', true], ['E08000003', false]]);
      expect((await call(app, 'PATCH', link, { key: w.keys.commissioner, body: { archived: false } })).status).toBe(403);
      const restored = await call(app, 'PATCH', link, { key: w.keys.admin, body: { archived: false } });
      expect(restored).toMatchObject({ status: 200, body: { archived_at: null } });
      expect(await codes(w.keys.commissioner)).toEqual([['DEMO-NORTHFIELD', true], ['E08000003', true]]);
      expect((await call(app, 'PATCH', `${linksOf(w.ids.commissioner)}/NOWHERE`, { key: w.keys.admin, body: { archived: true } })).status).toBe(404);
      expect((await audit('commissioner_place')).map((a) => [a.action, a.entity_id])).toEqual([
        ['commissioner_place.create', 'E08000003'],
        ['commissioner_place.update', 'E08000003'],
        ['commissioner_place.update', 'E08000003'],
      ]);
    });

    it('are confined by row-level security even when the application wall is bypassed', async () => {
      const everything = { keyId: w.ids.platform, organisationId: w.ids.platform, organisationKind: 'platform' as const, role: 'admin' as const };
      await expect(
        asTenant(t.db, { organisationId: w.ids.providerA, role: 'submitter' }, (db) => listCommissionerPlaces({ db, actor: everything, organisationId: w.ids.commissioner })),
      ).rejects.toBeInstanceOf(NotFoundError);
      const rows = await asTenant(t.db, { organisationId: w.ids.funder, role: 'funder' }, (db) => db.selectFrom('commissioner_places').selectAll().execute());
      expect(rows).toEqual([]);
    });
  });

  describe('place names', () => {
    it('are read by everyone and named by admins only', async () => {
      expect((await call(app, 'GET', '/v1/places', { key: w.keys.funder })).body).toEqual({ places: [] });
      const created = await call(app, 'POST', '/v1/places', { key: w.keys.admin, body: { code: 'E08000003', name: ' Manchester ' } });
      expect(created).toMatchObject({ status: 201, body: { code: 'E08000003', name: 'Manchester', created_at: expect.any(String) } });
      for (const key of [w.keys.submitterA, w.keys.funder, w.keys.analystA, w.keys.commissioner]) {
        expect((await call(app, 'GET', '/v1/places', { key })).body.places).toEqual([created.body]);
      }
      expect((await call(app, 'POST', '/v1/places', { key: w.keys.commissioner, body: { code: 'E1', name: 'One' } })).status).toBe(403);
      const again = await call(app, 'POST', '/v1/places', { key: w.keys.admin, body: { code: 'E08000003', name: 'Manchester again' } });
      expect(again).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
      const invalid = await call(app, 'POST', '/v1/places', { key: w.keys.admin, body: { code: 'C'.repeat(65), name: '' } });
      expect(invalid.body.error.details).toEqual([
        { path: 'code', message: 'must be at most 64 characters' },
        { path: 'name', message: 'must not be empty' },
      ]);
    });

    it('are renamed by admins; an unknown code is 404', async () => {
      const renamed = await call(app, 'PATCH', '/v1/places/E08000003', { key: w.keys.admin, body: { name: 'City of Manchester' } });
      expect(renamed).toMatchObject({ status: 200, body: { code: 'E08000003', name: 'City of Manchester' } });
      expect((await call(app, 'PATCH', '/v1/places/E08000003', { key: w.keys.submitterA, body: { name: 'Mine' } })).status).toBe(403);
      expect((await call(app, 'PATCH', '/v1/places/NOWHERE', { key: w.keys.admin, body: { name: 'x' } })).status).toBe(404);
      expect(await t.db.selectFrom('places').select(['code', 'name']).execute()).toEqual([{ code: 'E08000003', name: 'City of Manchester' }]);
      expect((await audit('place')).map((a) => [a.action, a.actor_role, a.organisation_id, a.entity_id])).toEqual([
        ['place.create', 'admin', null, 'E08000003'],
        ['place.update', 'admin', null, 'E08000003'],
      ]);
    });
  });
});

import { createTestDatabase, pgTargets, type TestDatabase } from '@firstmile/schema/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type FirstmileApp } from '../../app.ts';
import { listServices } from '../../domain/services/read.ts';
import { call, createTenants, type Tenants } from '../../testing/index.ts';
import { asTenant } from '../../testing/tenant-transaction.ts';

describe.each(pgTargets())('services on the $name PostgreSQL', (target) => {
  let t: TestDatabase;
  let app: FirstmileApp;
  let w: Tenants;
  beforeAll(async () => {
    t = await createTestDatabase(target);
    app = createApp({ handle: t });
    w = await createTenants(t.db);
  });
  afterAll(() => t.drop());

  const ids = async (key: string) => ((await call(app, 'GET', '/v1/services', { key })).body.services as Array<{ id: string }>).map((s) => s.id);
  const stored = (id: string) => t.db.selectFrom('services').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const audit = (id: string) =>
    t.db.selectFrom('audit_log').select(['action', 'actor_role', 'organisation_id', 'details']).where('entity', '=', 'service').where('entity_id', '=', id).orderBy('id').execute();
  const service = { name: 'Ancoats GP', kind: 'gp_practice', place_code: 'DEMO-NORTHFIELD' };

  it('shows each organisation its own services, a commissioner those in its place, an admin all', async () => {
    expect(await ids(w.keys.submitterA)).toEqual([w.ids.serviceA]);
    expect(await ids(w.keys.analystA)).toEqual([w.ids.serviceA]);
    expect(await ids(w.keys.submitterB)).toEqual([w.ids.serviceB]);
    expect(await ids(w.keys.commissioner)).toEqual([w.ids.serviceB]);
    expect(await ids(w.keys.funder)).toEqual([]);
    expect((await ids(w.keys.admin)).sort()).toEqual([w.ids.serviceA, w.ids.serviceB].sort());
    const one = await call(app, 'GET', `/v1/services/${w.ids.serviceB}`, { key: w.keys.commissioner });
    expect(one).toMatchObject({
      status: 200,
      body: {
        id: w.ids.serviceB, organisation_id: w.ids.providerB, name: 'Project team', kind: 'community_project', place_code: 'DEMO-NORTHFIELD',
        project_id: w.ids.projectB, unit_cost_gbp_per_contact: null, unit_cost_source: null, archived_at: null,
      },
    });
  });

  it("answers 404 for another organisation's service, on GET and PATCH, and changes nothing", async () => {
    const before = await stored(w.ids.serviceB);
    expect(await call(app, 'GET', `/v1/services/${w.ids.serviceB}`, { key: w.keys.submitterA })).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect((await call(app, 'GET', `/v1/services/${w.ids.serviceA}`, { key: w.keys.commissioner })).status).toBe(404);
    expect((await call(app, 'GET', `/v1/services/${w.ids.serviceB}`, { key: w.keys.funder })).status).toBe(404);
    const patch = await call(app, 'PATCH', `/v1/services/${w.ids.serviceB}`, { key: w.keys.submitterA, body: { name: 'Taken over', archived: true } });
    expect(patch).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(await stored(w.ids.serviceB)).toEqual(before);
    expect(await audit(w.ids.serviceB)).toEqual([]);
  });

  it('lets only submitters and admins write (403 for the others)', async () => {
    for (const key of [w.keys.commissioner, w.keys.funder, w.keys.analystA]) {
      expect(await call(app, 'POST', '/v1/services', { key, body: service })).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    }
    expect((await call(app, 'PATCH', `/v1/services/${w.ids.serviceB}`, { key: w.keys.commissioner, body: { name: 'Ours now' } })).status).toBe(403);
    expect((await stored(w.ids.serviceB)).name).toBe('Project team');
  });

  it('creates a service for the caller, with its project and unit cost, and records it', async () => {
    const created = await call(app, 'POST', '/v1/services', {
      key: w.keys.submitterA,
      body: { ...service, project_id: w.ids.projectA, unit_cost_gbp_per_contact: 38, unit_cost_source: 'GM UCD v1.4 HE20.2' },
    });
    expect(created).toMatchObject({
      status: 201,
      body: { organisation_id: w.ids.providerA, ...service, project_id: w.ids.projectA, unit_cost_gbp_per_contact: 38, unit_cost_source: 'GM UCD v1.4 HE20.2', archived_at: null },
    });
    expect(await audit(created.body.id)).toEqual([
      { action: 'service.create', actor_role: 'submitter', organisation_id: w.ids.providerA, details: { name: 'Ancoats GP', kind: 'gp_practice' } },
    ]);
    const byAdmin = await call(app, 'POST', '/v1/services', { key: w.keys.admin, body: { ...service, name: 'Northfield A&E', kind: 'emergency_department', organisation_id: w.ids.providerB } });
    expect(byAdmin).toMatchObject({ status: 201, body: { organisation_id: w.ids.providerB, project_id: null } });
  });

  it("refuses another organisation's project, or organisation, with 422 and stores nothing", async () => {
    const count = async () => (await t.db.selectFrom('services').select('id').execute()).length;
    const before = await count();
    const otherProject = await call(app, 'POST', '/v1/services', { key: w.keys.submitterA, body: { ...service, project_id: w.ids.projectB } });
    expect(otherProject).toMatchObject({ status: 422, body: { error: { details: [{ path: 'project_id', message: "must be a project of the service's own organisation" }] } } });
    const otherOrg = await call(app, 'POST', '/v1/services', { key: w.keys.submitterA, body: { ...service, organisation_id: w.ids.providerB } });
    expect(otherOrg.body.error.details).toEqual([{ path: 'organisation_id', message: "must be your own organisation's id, or left out" }]);
    const adminMismatch = await call(app, 'POST', '/v1/services', { key: w.keys.admin, body: { ...service, organisation_id: w.ids.providerB, project_id: w.ids.projectA } });
    expect(adminMismatch.body.error.details).toEqual([{ path: 'project_id', message: "must be a project of the service's own organisation" }]);
    const patch = await call(app, 'PATCH', `/v1/services/${w.ids.serviceA}`, { key: w.keys.submitterA, body: { project_id: w.ids.projectB } });
    expect(patch.body.error.details).toEqual([{ path: 'project_id', message: "must be a project of the service's own organisation" }]);
    expect(await count()).toBe(before);
    expect((await stored(w.ids.serviceA)).project_id).toBe(w.ids.projectA);
  });

  it('names every invalid field with 422', async () => {
    const response = await call(app, 'POST', '/v1/services', {
      key: w.keys.submitterA,
      body: { name: ' ', kind: 'pharmacy', place_code: 'DEMO', project_id: 'p1', unit_cost_gbp_per_contact: 12.345 },
    });
    expect(response.status).toBe(422);
    expect(response.body.error.details).toEqual([
      { path: 'name', message: 'must not be empty' },
      {
        path: 'kind',
        message: 'Invalid option: expected one of "gp_practice"|"emergency_department"|"hospital"|"housing_options"|"probation"|"social_work"|"mental_health"|"police"|"community_project"|"other"',
      },
      { path: 'project_id', message: 'must be a UUID' },
      { path: 'unit_cost_gbp_per_contact', message: 'must have at most 2 decimal places (whole pence)' },
    ]);
  });

  it('keeps a unit cost with its source: clearing the source alone is 422, clearing both is fine', async () => {
    const priced = await call(app, 'PATCH', `/v1/services/${w.ids.serviceA}`, { key: w.keys.submitterA, body: { unit_cost_gbp_per_contact: 52.5, unit_cost_source: 'Own costing 2025' } });
    expect(priced).toMatchObject({ status: 200, body: { unit_cost_gbp_per_contact: 52.5, unit_cost_source: 'Own costing 2025' } });
    const sourceless = await call(app, 'PATCH', `/v1/services/${w.ids.serviceA}`, { key: w.keys.submitterA, body: { unit_cost_source: null } });
    expect(sourceless).toMatchObject({ status: 422, body: { error: { details: [{ path: 'unit_cost_source', message: 'cannot be cleared while the service has a unit cost' }] } } });
    expect((await stored(w.ids.serviceA)).unit_cost_source).toBe('Own costing 2025');
    const cleared = await call(app, 'PATCH', `/v1/services/${w.ids.serviceA}`, { key: w.keys.submitterA, body: { unit_cost_gbp_per_contact: null, unit_cost_source: null } });
    expect(cleared).toMatchObject({ status: 200, body: { unit_cost_gbp_per_contact: null, unit_cost_source: null } });
  });

  it('archives and restores a service, and audits both', async () => {
    const archived = await call(app, 'PATCH', `/v1/services/${w.ids.serviceB}`, { key: w.keys.submitterB, body: { archived: true } });
    expect(archived.status).toBe(200);
    expect(archived.body.archived_at).toEqual(expect.any(String));
    expect((await call(app, 'GET', `/v1/services/${w.ids.serviceB}`, { key: w.keys.submitterB })).body.archived_at).toBe(archived.body.archived_at);
    const restored = await call(app, 'PATCH', `/v1/services/${w.ids.serviceB}`, { key: w.keys.submitterB, body: { archived: false } });
    expect(restored).toMatchObject({ status: 200, body: { archived_at: null } });
    expect((await stored(w.ids.serviceB)).archived_at).toBeNull();
    expect((await audit(w.ids.serviceB)).map((a) => [a.action, a.details])).toEqual([
      ['service.update', { fields: ['archived'] }],
      ['service.update', { fields: ['archived'] }],
    ]);
  });

  it('shows a commissioner the services of its places only, whoever runs them, while the link is active', async () => {
    const inPlace = await call(app, 'POST', '/v1/services', { key: w.keys.submitterA, body: { name: 'Outreach', kind: 'community_project', place_code: 'DEMO-NORTHFIELD' } });
    const elsewhere = await call(app, 'POST', '/v1/services', { key: w.keys.submitterB, body: { name: 'Hostel', kind: 'housing_options', place_code: 'DEMO-ELSEWHERE' } });
    expect([inPlace.status, elsewhere.status]).toEqual([201, 201]);
    const expected = (await t.db.selectFrom('services').select('id').where('place_code', '=', 'DEMO-NORTHFIELD').orderBy('name').orderBy('id').execute()).map((s) => s.id);
    expect(expected).toContain(inPlace.body.id);
    expect(await ids(w.keys.commissioner)).toEqual(expected);
    expect((await call(app, 'GET', `/v1/services/${elsewhere.body.id}`, { key: w.keys.commissioner })).status).toBe(404);

    const link = `/v1/organisations/${w.ids.commissioner}/places/DEMO-NORTHFIELD`;
    expect((await call(app, 'PATCH', link, { key: w.keys.admin, body: { archived: true } })).status).toBe(200);
    expect(await ids(w.keys.commissioner)).toEqual([]);
    expect((await call(app, 'PATCH', link, { key: w.keys.admin, body: { archived: false } })).status).toBe(200);
    expect(await ids(w.keys.commissioner)).toEqual(expected);
  });

  it('is confined by row-level security even when the application wall is bypassed', async () => {
    const everything = { keyId: w.ids.platform, organisationId: w.ids.platform, organisationKind: 'platform' as const, role: 'admin' as const };
    const byPlace = await asTenant(t.db, { organisationId: w.ids.commissioner, role: 'commissioner' }, (db) => listServices({ db, actor: everything }));
    expect(byPlace.length).toBeGreaterThan(0);
    expect(byPlace.every((s) => s.place_code === 'DEMO-NORTHFIELD')).toBe(true);
    const asB = await asTenant(t.db, { organisationId: w.ids.providerB, role: 'submitter' }, (db) => listServices({ db, actor: everything }));
    expect(asB.length).toBeGreaterThan(0);
    expect(asB.every((s) => s.organisation_id === w.ids.providerB)).toBe(true);
  });
});

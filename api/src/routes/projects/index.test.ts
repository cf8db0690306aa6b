import { createTestDatabase, pgTargets, type TestDatabase } from '@firstmile/schema/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type FirstmileApp } from '../../app.ts';
import { listProjects } from '../../domain/projects/read.ts';
import { call, createTenants, type Tenants } from '../../testing/index.ts';
import { asTenant } from '../../testing/tenant-transaction.ts';

const names = (body: { projects: Array<{ name: string }> }) => body.projects.map((p) => p.name);

describe.each(pgTargets())('projects on the $name PostgreSQL', (target) => {
  let t: TestDatabase;
  let app: FirstmileApp;
  let w: Tenants;
  beforeAll(async () => {
    t = await createTestDatabase(target);
    app = createApp({ handle: t });
    w = await createTenants(t.db);
  });
  afterAll(() => t.drop());

  const stored = (id: string) => t.db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const audit = (id: string) =>
    t.db.selectFrom('audit_log').select(['action', 'actor_role', 'organisation_id', 'details']).where('entity', '=', 'project').where('entity_id', '=', id).orderBy('id').execute();

  it("shows each organisation its own projects, a funder the projects it funds, an admin all", async () => {
    const seen = async (key: string) => names((await call(app, 'GET', '/v1/projects', { key })).body);
    expect(await seen(w.keys.submitterA)).toEqual(['Through the Gate']);
    expect(await seen(w.keys.analystA)).toEqual(['Through the Gate']);
    expect(await seen(w.keys.submitterB)).toEqual(['Talk First']);
    expect(await seen(w.keys.funder)).toEqual(['Talk First']);
    expect(await seen(w.keys.admin)).toEqual(['Talk First', 'Through the Gate']);
    const one = await call(app, 'GET', `/v1/projects/${w.ids.projectB}`, { key: w.keys.funder });
    expect(one).toMatchObject({
      status: 200,
      body: { id: w.ids.projectB, organisation_id: w.ids.providerB, name: 'Talk First', sector: 'community', place_code: 'DEMO-NORTHFIELD', started_on: '2024-01-01', archived_at: null },
    });
  });

  it('keeps commissioners out of the project routes (403), and funders and analysts from writing', async () => {
    for (const [method, path] of [['GET', '/v1/projects'], ['GET', `/v1/projects/${w.ids.projectB}`]] as const) {
      expect(await call(app, method, path, { key: w.keys.commissioner })).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    }
    const body = { name: 'Mine', sector: 'health', place_code: 'X', started_on: '2025-01-01' };
    expect((await call(app, 'POST', '/v1/projects', { key: w.keys.funder, body })).status).toBe(403);
    expect((await call(app, 'POST', '/v1/projects', { key: w.keys.analystA, body })).status).toBe(403);
    expect((await call(app, 'PATCH', `/v1/projects/${w.ids.projectB}`, { key: w.keys.funder, body: { name: 'Renamed' } })).status).toBe(403);
    expect((await stored(w.ids.projectB)).name).toBe('Talk First');
  });

  it("answers 404 for another organisation's project, on GET and PATCH, and changes nothing", async () => {
    const before = await stored(w.ids.projectB);
    const get = await call(app, 'GET', `/v1/projects/${w.ids.projectB}`, { key: w.keys.submitterA });
    expect(get).toMatchObject({ status: 404, body: { error: { code: 'not_found', message: `project ${w.ids.projectB} was not found` } } });
    expect((await call(app, 'GET', `/v1/projects/${w.ids.projectA}`, { key: w.keys.funder })).status).toBe(404);
    const patch = await call(app, 'PATCH', `/v1/projects/${w.ids.projectB}`, { key: w.keys.submitterA, body: { name: 'Taken over', archived: true } });
    expect(patch).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(await stored(w.ids.projectB)).toEqual(before);
    expect(await audit(w.ids.projectB)).toEqual([]);
    const missing = await call(app, 'GET', '/v1/projects/00000000-0000-0000-0000-000000000000', { key: w.keys.admin });
    expect(missing.status).toBe(404);
  });

  it('lets a submitter create a project for its own organisation, and records it', async () => {
    const created = await call(app, 'POST', '/v1/projects', {
      key: w.keys.submitterA,
      body: { name: ' Open Door ', sector: 'housing', place_code: 'E08000003', started_on: '2025-04-01' },
    });
    expect(created).toMatchObject({
      status: 201,
      body: { organisation_id: w.ids.providerA, name: 'Open Door', sector: 'housing', place_code: 'E08000003', started_on: '2025-04-01', archived_at: null },
    });
    expect(await audit(created.body.id)).toEqual([
      { action: 'project.create', actor_role: 'submitter', organisation_id: w.ids.providerA, details: { name: 'Open Door' } },
    ]);
    const same = await call(app, 'POST', '/v1/projects', {
      key: w.keys.submitterA,
      body: { organisation_id: w.ids.providerA, name: 'Second Door', sector: 'housing', place_code: 'E08000003', started_on: '2025-04-01' },
    });
    expect(same).toMatchObject({ status: 201, body: { organisation_id: w.ids.providerA } });
    expect(names((await call(app, 'GET', '/v1/projects', { key: w.keys.submitterB })).body)).toEqual(['Talk First']);
  });

  it("refuses a submitter creating for another organisation, and an admin naming none or a non-provider (422)", async () => {
    const count = async () => (await t.db.selectFrom('projects').select('id').execute()).length;
    const before = await count();
    const project = { name: 'Elsewhere', sector: 'justice', place_code: 'E1', started_on: '2025-01-01' };
    const other = await call(app, 'POST', '/v1/projects', { key: w.keys.submitterA, body: { ...project, organisation_id: w.ids.providerB } });
    expect(other).toMatchObject({ status: 422, body: { error: { code: 'validation_failed', details: [{ path: 'organisation_id', message: "must be your own organisation's id, or left out" }] } } });
    const none = await call(app, 'POST', '/v1/projects', { key: w.keys.admin, body: project });
    expect(none.body.error.details).toEqual([{ path: 'organisation_id', message: 'is required when an admin creates a project' }]);
    const funder = await call(app, 'POST', '/v1/projects', { key: w.keys.admin, body: { ...project, organisation_id: w.ids.funder } });
    expect(funder.body.error.details).toEqual([{ path: 'organisation_id', message: 'a project belongs to a provider organisation, not a funder' }]);
    const unknown = await call(app, 'POST', '/v1/projects', { key: w.keys.admin, body: { ...project, organisation_id: '00000000-0000-0000-0000-000000000000' } });
    expect(unknown.body.error.details).toEqual([{ path: 'organisation_id', message: 'no organisation has this id' }]);
    expect(await count()).toBe(before);

    const byAdmin = await call(app, 'POST', '/v1/projects', { key: w.keys.admin, body: { ...project, organisation_id: w.ids.providerB } });
    expect(byAdmin).toMatchObject({ status: 201, body: { organisation_id: w.ids.providerB, name: 'Elsewhere' } });
    expect(await audit(byAdmin.body.id)).toEqual([
      { action: 'project.create', actor_role: 'admin', organisation_id: w.ids.providerB, details: { name: 'Elsewhere' } },
    ]);
  });

  it('names every invalid field with 422', async () => {
    const response = await call(app, 'POST', '/v1/projects', {
      key: w.keys.submitterA,
      body: { name: '', sector: 'Justice', place_code: 'P'.repeat(65), started_on: '2019-02-30', colour: 'teal' },
    });
    expect(response.status).toBe(422);
    expect(response.body.error.details).toEqual([
      { path: 'name', message: 'must not be empty' },
      { path: 'sector', message: 'Invalid option: expected one of "justice"|"health"|"social_care"|"housing"|"community"|"education"|"other"' },
      { path: 'place_code', message: 'must be at most 64 characters' },
      { path: 'started_on', message: 'must be a real calendar date written YYYY-MM-DD' },
      { path: 'colour', message: 'unknown field' },
    ]);
    const patch = await call(app, 'PATCH', `/v1/projects/${w.ids.projectA}`, { key: w.keys.submitterA, body: { organisation_id: w.ids.providerB } });
    expect(patch.body.error.details).toEqual([
      { path: 'organisation_id', message: 'unknown field' },
      { path: '', message: 'give at least one field to change' },
    ]);
    const badId = await call(app, 'GET', '/v1/projects/42', { key: w.keys.submitterA });
    expect(badId).toMatchObject({ status: 422, body: { error: { details: [{ path: 'id', message: 'must be a UUID' }] } } });
  });

  it('edits, archives and restores a project, keeping it visible and audited', async () => {
    const renamed = await call(app, 'PATCH', `/v1/projects/${w.ids.projectA}`, { key: w.keys.submitterA, body: { name: 'Through the Gate (Harbour)', started_on: '2023-09-01' } });
    expect(renamed).toMatchObject({ status: 200, body: { name: 'Through the Gate (Harbour)', started_on: '2023-09-01', sector: 'community', archived_at: null } });
    const archived = await call(app, 'PATCH', `/v1/projects/${w.ids.projectA}`, { key: w.keys.submitterA, body: { archived: true } });
    expect(archived.status).toBe(200);
    expect(archived.body.archived_at).toEqual(expect.any(String));
    expect((await stored(w.ids.projectA)).archived_at).toEqual(new Date(archived.body.archived_at));
    const again = await call(app, 'PATCH', `/v1/projects/${w.ids.projectA}`, { key: w.keys.submitterA, body: { archived: true } });
    expect(again.body.archived_at).toBe(archived.body.archived_at);
    expect((await call(app, 'GET', `/v1/projects/${w.ids.projectA}`, { key: w.keys.submitterA })).body.archived_at).toBe(archived.body.archived_at);
    const restored = await call(app, 'PATCH', `/v1/projects/${w.ids.projectA}`, { key: w.keys.admin, body: { archived: false } });
    expect(restored).toMatchObject({ status: 200, body: { archived_at: null, name: 'Through the Gate (Harbour)' } });
    expect((await stored(w.ids.projectA)).archived_at).toBeNull();
    expect((await audit(w.ids.projectA)).map((a) => [a.action, a.actor_role, a.details])).toEqual([
      ['project.update', 'submitter', { fields: ['name', 'started_on'] }],
      ['project.update', 'submitter', { fields: ['archived'] }],
      ['project.update', 'submitter', { fields: ['archived'] }],
      ['project.update', 'admin', { fields: ['archived'] }],
    ]);
  });

  it('is confined by row-level security even when the application wall is bypassed', async () => {
    const everything = { keyId: w.ids.platform, organisationId: w.ids.providerA, organisationKind: 'provider' as const, role: 'admin' as const };
    const asA = await asTenant(t.db, { organisationId: w.ids.providerA, role: 'submitter' }, (db) => listProjects({ db, actor: everything }));
    const ownOfA = await t.db.selectFrom('projects').select('id').where('organisation_id', '=', w.ids.providerA).orderBy('name').orderBy('id').execute();
    expect(ownOfA.length).toBeGreaterThan(0);
    expect(asA.map((p) => p.id)).toEqual(ownOfA.map((p) => p.id));
    const asFunder = await asTenant(t.db, { organisationId: w.ids.funder, role: 'funder' }, (db) => listProjects({ db, actor: everything }));
    expect(asFunder.map((p) => p.id)).toEqual([w.ids.projectB]);
  });
});

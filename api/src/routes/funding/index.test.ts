import { createTestDatabase, pgTargets, type TestDatabase } from '@firstmile/schema/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type FirstmileApp } from '../../app.ts';
import { listFunding } from '../../domain/funding/read.ts';
import { call, createTenants, type Tenants } from '../../testing/index.ts';
import { asTenant } from '../../testing/tenant-transaction.ts';

describe.each(pgTargets())('funding on the $name PostgreSQL', (target) => {
  let t: TestDatabase;
  let app: FirstmileApp;
  let w: Tenants;
  let fundingB: string;
  beforeAll(async () => {
    t = await createTestDatabase(target);
    app = createApp({ handle: t });
    w = await createTenants(t.db);
    fundingB = (await t.db.selectFrom('funding').select('id').where('project_id', '=', w.ids.projectB).executeTakeFirstOrThrow()).id;
  });
  afterAll(() => t.drop());

  const ids = async (key: string) => ((await call(app, 'GET', '/v1/funding', { key })).body.funding as Array<{ id: string }>).map((f) => f.id);
  const stored = (id: string) => t.db.selectFrom('funding').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const audit = (id: string) =>
    t.db.selectFrom('audit_log').select(['action', 'actor_role', 'organisation_id', 'details']).where('entity', '=', 'funding').where('entity_id', '=', id).orderBy('id').execute();
  const projectIds = async (key: string) => ((await call(app, 'GET', '/v1/projects', { key })).body.projects as Array<{ id: string }>).map((p) => p.id);

  it('shows a link to the provider funded and to the funder, and to admins; nobody else', async () => {
    expect(await ids(w.keys.submitterB)).toEqual([fundingB]);
    expect(await ids(w.keys.funder)).toEqual([fundingB]);
    expect(await ids(w.keys.admin)).toEqual([fundingB]);
    expect(await ids(w.keys.submitterA)).toEqual([]);
    expect(await ids(w.keys.analystA)).toEqual([]);
    const one = await call(app, 'GET', `/v1/funding/${fundingB}`, { key: w.keys.funder });
    expect(one).toMatchObject({
      status: 200,
      body: { id: fundingB, organisation_id: w.ids.providerB, funder_id: w.ids.funder, project_id: w.ids.projectB, from: '2024-01-01', to: '2025-12-31', amount_gbp: 120000, archived_at: null },
    });
    expect(await call(app, 'GET', `/v1/funding/${fundingB}`, { key: w.keys.submitterA })).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });

  it('refuses commissioners reading, and everyone but admins writing (403)', async () => {
    expect((await call(app, 'GET', '/v1/funding', { key: w.keys.commissioner })).status).toBe(403);
    expect((await call(app, 'GET', `/v1/funding/${fundingB}`, { key: w.keys.commissioner })).status).toBe(403);
    const body = { funder_id: w.ids.funder, project_id: w.ids.projectA, from: '2025-01-01', amount_gbp: 1 };
    for (const key of [w.keys.submitterA, w.keys.submitterB, w.keys.funder]) {
      expect(await call(app, 'POST', '/v1/funding', { key, body })).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
      expect((await call(app, 'PATCH', `/v1/funding/${fundingB}`, { key, body: { amount_gbp: 1 } })).status).toBe(403);
    }
    expect((await stored(fundingB)).amount_gbp).toBe(120000);
  });

  it('lets an admin fund a project, which the funder then sees, and records it', async () => {
    expect(await projectIds(w.keys.funder)).toEqual([w.ids.projectB]);
    const created = await call(app, 'POST', '/v1/funding', {
      key: w.keys.admin,
      body: { funder_id: w.ids.funder, project_id: w.ids.projectA, from: '2025-04-01', amount_gbp: 5000.5 },
    });
    expect(created).toMatchObject({
      status: 201,
      body: { organisation_id: w.ids.providerA, funder_id: w.ids.funder, project_id: w.ids.projectA, from: '2025-04-01', to: null, amount_gbp: 5000.5, archived_at: null },
    });
    expect(await audit(created.body.id)).toEqual([{
      action: 'funding.create', actor_role: 'admin', organisation_id: w.ids.providerA,
      details: { funder_id: w.ids.funder, project_id: w.ids.projectA, from: '2025-04-01', to: null, amount_gbp: 5000.5 },
    }]);
    expect((await projectIds(w.keys.funder)).sort()).toEqual([w.ids.projectA, w.ids.projectB].sort());
    expect(await ids(w.keys.submitterA)).toEqual([created.body.id]);
    expect(await ids(w.keys.funder)).toEqual([fundingB, created.body.id]);
  });

  it('names every invalid field, and refuses a non-funder or unknown project, with 422', async () => {
    const count = async () => (await t.db.selectFrom('funding').select('id').execute()).length;
    const before = await count();
    const invalid = await call(app, 'POST', '/v1/funding', {
      key: w.keys.admin,
      body: { funder_id: 'f', project_id: w.ids.projectA, from: '2025-04-01', to: '2025-03-31', amount_gbp: -1, from_date: '2025-04-01' },
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.details).toEqual([
      { path: 'funder_id', message: 'must be a UUID' },
      { path: 'amount_gbp', message: 'must not be negative' },
      { path: 'from_date', message: 'unknown field' },
      { path: 'to', message: 'must not be before from' },
    ]);
    const notFunder = await call(app, 'POST', '/v1/funding', { key: w.keys.admin, body: { funder_id: w.ids.providerB, project_id: w.ids.projectA, from: '2025-01-01', amount_gbp: 1 } });
    expect(notFunder.body.error.details).toEqual([{ path: 'funder_id', message: 'a funding link belongs to a funder organisation, not a provider' }]);
    const noProject = await call(app, 'POST', '/v1/funding', { key: w.keys.admin, body: { funder_id: w.ids.funder, project_id: '00000000-0000-0000-0000-000000000000', from: '2025-01-01', amount_gbp: 1 } });
    expect(noProject).toMatchObject({ status: 422, body: { error: { details: [{ path: 'project_id', message: 'no project has this id' }] } } });
    expect(await count()).toBe(before);
  });

  it('checks patched dates against the stored ones', async () => {
    const before = await stored(fundingB);
    const toTooEarly = await call(app, 'PATCH', `/v1/funding/${fundingB}`, { key: w.keys.admin, body: { to: '2023-12-31' } });
    expect(toTooEarly).toMatchObject({ status: 422, body: { error: { details: [{ path: 'to', message: 'must not be before from' }] } } });
    const fromTooLate = await call(app, 'PATCH', `/v1/funding/${fundingB}`, { key: w.keys.admin, body: { from: '2026-01-01' } });
    expect(fromTooLate.body.error.details).toEqual([{ path: 'from', message: 'must not be after the stored to (2025-12-31)' }]);
    expect(await stored(fundingB)).toEqual(before);
    const extended = await call(app, 'PATCH', `/v1/funding/${fundingB}`, { key: w.keys.admin, body: { to: null, amount_gbp: 180000 } });
    expect(extended).toMatchObject({ status: 200, body: { from: '2024-01-01', to: null, amount_gbp: 180000 } });
    expect((await call(app, 'PATCH', '/v1/funding/00000000-0000-0000-0000-000000000000', { key: w.keys.admin, body: { amount_gbp: 1 } })).status).toBe(404);
  });

  it('archiving a link hides the project from its funder; restoring shows it again', async () => {
    const archived = await call(app, 'PATCH', `/v1/funding/${fundingB}`, { key: w.keys.admin, body: { archived: true } });
    expect(archived.status).toBe(200);
    expect(archived.body.archived_at).toEqual(expect.any(String));
    expect(await projectIds(w.keys.funder)).not.toContain(w.ids.projectB);
    expect((await call(app, 'GET', `/v1/projects/${w.ids.projectB}`, { key: w.keys.funder })).status).toBe(404);
    expect(await ids(w.keys.funder)).toContain(fundingB);
    const restored = await call(app, 'PATCH', `/v1/funding/${fundingB}`, { key: w.keys.admin, body: { archived: false } });
    expect(restored).toMatchObject({ status: 200, body: { archived_at: null } });
    expect(await projectIds(w.keys.funder)).toContain(w.ids.projectB);
    expect((await audit(fundingB)).map((a) => [a.action, a.details])).toEqual([
      ['funding.update', { fields: ['to', 'amount_gbp'] }],
      ['funding.update', { fields: ['archived'] }],
      ['funding.update', { fields: ['archived'] }],
    ]);
  });

  it('is confined by row-level security even when the application wall is bypassed', async () => {
    const everything = { keyId: w.ids.platform, organisationId: w.ids.platform, organisationKind: 'platform' as const, role: 'admin' as const };
    const asA = await asTenant(t.db, { organisationId: w.ids.providerA, role: 'submitter' }, (db) => listFunding({ db, actor: everything }));
    expect(asA.length).toBeGreaterThan(0);
    expect(asA.every((f) => f.organisation_id === w.ids.providerA)).toBe(true);
    const asCommissioner = await asTenant(t.db, { organisationId: w.ids.commissioner, role: 'commissioner' }, (db) => listFunding({ db, actor: everything }));
    expect(asCommissioner).toEqual([]);
  });
});

import { createTestDatabase, pgTargets, type TestDatabase } from '@firstmile/schema/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type FirstmileApp } from '../../app.ts';
import { call, createTenants, type Tenants } from '../../testing/index.ts';

describe.each(pgTargets())('organisations on the $name PostgreSQL', (target) => {
  let t: TestDatabase;
  let app: FirstmileApp;
  let w: Tenants;
  beforeAll(async () => {
    t = await createTestDatabase(target);
    app = createApp({ handle: t });
    w = await createTenants(t.db);
  });
  afterAll(() => t.drop());

  it('asks for a key, and refuses a bad or revoked one with 401', async () => {
    expect((await call(app, 'GET', '/v1/organisations')).status).toBe(401);
    const bad = await call(app, 'GET', '/v1/organisations', { key: 'fm_nonsense' });
    expect(bad).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    const wrongSecret = w.keys.funder.slice(0, -4) + 'AAAA';
    expect((await call(app, 'GET', '/v1/organisations', { key: wrongSecret })).status).toBe(401);
  });

  it('shows a provider itself and its funder, and an admin everyone', async () => {
    const asB = await call(app, 'GET', '/v1/organisations', { key: w.keys.submitterB });
    expect(asB.status).toBe(200);
    expect(asB.body.organisations.map((o: { name: string }) => o.name)).toEqual(['Northfield Housing Team', 'Riverside Community Fund']);
    const asAdmin = await call(app, 'GET', '/v1/organisations', { key: w.keys.admin });
    expect(asAdmin.body.organisations).toHaveLength(5);
  });

  it("answers 404 for another organisation's id, 200 for its own", async () => {
    const other = await call(app, 'GET', `/v1/organisations/${w.ids.providerB}`, { key: w.keys.submitterA });
    expect(other).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    const own = await call(app, 'GET', `/v1/organisations/${w.ids.providerA}`, { key: w.keys.submitterA });
    expect(own).toMatchObject({ status: 200, body: { id: w.ids.providerA, kind: 'provider', archived_at: null } });
  });

  it('lets only admins create organisations, and records who did it', async () => {
    const refused = await call(app, 'POST', '/v1/organisations', { key: w.keys.submitterA, body: { name: 'Mine', kind: 'provider' } });
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    const created = await call(app, 'POST', '/v1/organisations', { key: w.keys.admin, body: { name: '  Lakeside Mentors ', kind: 'provider' } });
    expect(created).toMatchObject({ status: 201, body: { name: 'Lakeside Mentors', kind: 'provider' } });
    const audit = await t.db.selectFrom('audit_log').select(['action', 'actor_role', 'entity_id']).where('action', '=', 'organisation.create').execute();
    expect(audit).toEqual([{ action: 'organisation.create', actor_role: 'admin', entity_id: created.body.id }]);
  });

  it('names every invalid field with 422, and stores nothing', async () => {
    const before = await t.db.selectFrom('organisations').select('id').execute();
    const response = await call(app, 'POST', '/v1/organisations', { key: w.keys.admin, body: { name: '', kind: 'charity', colour: 'red' } });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('validation_failed');
    expect(response.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['colour', 'kind', 'name']);
    expect(await t.db.selectFrom('organisations').select('id').execute()).toHaveLength(before.length);
  });

  it('answers malformed JSON with 400 and a wrong media type with 415', async () => {
    const malformed = await call(app, 'POST', '/v1/organisations', { key: w.keys.admin, raw: '{"name":', headers: { 'content-type': 'application/json' } });
    expect(malformed).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
    const wrongType = await call(app, 'POST', '/v1/organisations', { key: w.keys.admin, raw: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(wrongType).toMatchObject({ status: 415, body: { error: { code: 'unsupported_media_type' } } });
  });

  it('lets an organisation rename itself but not another', async () => {
    const own = await call(app, 'PATCH', `/v1/organisations/${w.ids.providerA}`, { key: w.keys.submitterA, body: { name: 'Harbour Mentoring' } });
    expect(own).toMatchObject({ status: 200, body: { name: 'Harbour Mentoring' } });
    const other = await call(app, 'PATCH', `/v1/organisations/${w.ids.providerB}`, { key: w.keys.submitterA, body: { name: 'Taken over' } });
    expect(other.status).toBe(404);
    const stored = await t.db.selectFrom('organisations').select('name').where('id', '=', w.ids.providerB).executeTakeFirstOrThrow();
    expect(stored.name).toBe('Northfield Housing Team');
  });
});

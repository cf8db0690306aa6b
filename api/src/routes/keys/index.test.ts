import { createTestDatabase, pgTargets, type TestDatabase } from '@firstmile/schema/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type FirstmileApp } from '../../app.ts';
import { call, createTenants, type Tenants } from '../../testing/index.ts';

describe.each(pgTargets())('API keys on the $name PostgreSQL', (target) => {
  let t: TestDatabase;
  let app: FirstmileApp;
  let w: Tenants;
  beforeAll(async () => {
    t = await createTestDatabase(target);
    app = createApp({ handle: t });
    w = await createTenants(t.db);
  });
  afterAll(() => t.drop());

  it('creates a key once, stores only its hash, and the key works', async () => {
    const created = await call(app, 'POST', '/v1/keys', { key: w.keys.admin, body: { organisation_id: w.ids.funder, role: 'funder', label: 'board pack' } });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^fm_[0-9a-f]{32}_/);
    const secret = created.body.key.split('_')[2] as string;
    const stored = await t.db.selectFrom('api_keys').selectAll().where('id', '=', created.body.id).executeTakeFirstOrThrow();
    expect(stored.secret_hash.toString('utf8')).not.toContain(secret);
    expect(JSON.stringify(await call(app, 'GET', '/v1/keys', { key: w.keys.admin }))).not.toContain(secret);
    expect((await call(app, 'GET', '/v1/organisations', { key: created.body.key })).status).toBe(200);
  });

  it('refuses a role that does not fit the organisation', async () => {
    const response = await call(app, 'POST', '/v1/keys', { key: w.keys.admin, body: { organisation_id: w.ids.providerA, role: 'admin' } });
    expect(response).toMatchObject({ status: 422, body: { error: { details: [{ path: 'role' }] } } });
  });

  it('answers 401 once a key is revoked', async () => {
    const created = await call(app, 'POST', '/v1/keys', { key: w.keys.admin, body: { organisation_id: w.ids.providerA, role: 'submitter' } });
    const revoked = await call(app, 'PATCH', `/v1/keys/${created.body.id}`, { key: w.keys.submitterA, body: { revoked: true } });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revoked_at).not.toBeNull();
    expect((await call(app, 'GET', '/v1/organisations', { key: created.body.key })).status).toBe(401);
  });

  it("cannot revoke another organisation's key (404)", async () => {
    const keys = await t.db.selectFrom('api_keys').select('id').where('organisation_id', '=', w.ids.providerB).execute();
    const response = await call(app, 'PATCH', `/v1/keys/${keys[0]!.id}`, { key: w.keys.submitterA, body: { revoked: true } });
    expect(response.status).toBe(404);
    const still = await t.db.selectFrom('api_keys').select('revoked_at').where('id', '=', keys[0]!.id).executeTakeFirstOrThrow();
    expect(still.revoked_at).toBeNull();
  });
});

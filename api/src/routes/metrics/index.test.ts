import { createTestDatabase, pgTargets, type TestDatabase } from '@firstmile/schema/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type FirstmileApp } from '../../app.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { listMetrics } from '../../domain/metrics/read.ts';
import { updateMetric } from '../../domain/metrics/write.ts';
import { call, createTenants, type Tenants } from '../../testing/index.ts';
import { asTenant } from '../../testing/tenant-transaction.ts';

const builtIn = [
  'ae_attendances', 'continuity_of_care', 'gp_appointments', 'homelessness_applications', 'loneliness', 'medication_adherence',
  'non_elective_admissions', 'people_supported', 'reoffending_12m', 'repeat_conversations', 'staff_retention',
  'sustained_employment', 'waiting_list_length',
];

const homelessnessCost = {
  code: 'gm-ucd-1.4/HO3.0', source_reference: 'HO3.0', label: 'Statutory homelessness application, cost per application',
  unit: 'per application', value_gbp: 2501, price_year: '2010/11',
  source: 'Greater Manchester Combined Authority (New Economy) Unit Cost Database', edition: 'v1.4 (March 2015)', licence: 'CC BY 4.0',
};

describe.each(pgTargets())('metrics on the $name PostgreSQL', (target) => {
  let t: TestDatabase;
  let app: FirstmileApp;
  let w: Tenants;
  beforeAll(async () => {
    t = await createTestDatabase(target);
    app = createApp({ handle: t });
    w = await createTenants(t.db);
  });
  afterAll(() => t.drop());

  const keys = async (key: string) => ((await call(app, 'GET', '/v1/metrics', { key })).body.metrics as Array<{ key: string }>).map((m) => m.key);
  const stored = (key: string) => t.db.selectFrom('metrics').selectAll().where('key', '=', key).executeTakeFirstOrThrow();
  const audit = (key: string) =>
    t.db.selectFrom('audit_log').select(['action', 'actor_role', 'organisation_id', 'details']).where('entity', '=', 'metric').where('entity_id', '=', key).orderBy('id').execute();
  const tenancy = { key: 'tenancy_sustained', label: 'Tenancy sustained', kind: 'proportion', polarity: 'higher_is_better', theme: 'outcome' };

  it('shows every key the built-in catalogue, each unit cost with its source', async () => {
    for (const key of Object.values(w.keys)) expect(await keys(key)).toEqual(builtIn);
    const ae = await call(app, 'GET', '/v1/metrics/ae_attendances', { key: w.keys.commissioner });
    expect(ae).toMatchObject({
      status: 200,
      body: {
        key: 'ae_attendances', organisation_id: null, label: 'A&E attendances', kind: 'count', polarity: 'lower_is_better', theme: 'outcome',
        unit_cost: { code: 'gm-ucd-1.4/HE4.0', value_gbp: 109, price_year: '2011/12', source_reference: 'HE4.0', licence: 'CC BY 4.0' },
        archived_at: null,
      },
    });
    expect((await call(app, 'GET', '/v1/metrics/loneliness', { key: w.keys.funder })).body.unit_cost).toBeNull();
    expect((await call(app, 'GET', '/v1/metrics/no_such_metric', { key: w.keys.admin })).status).toBe(404);
  });

  it('adds a custom metric for the caller, with a published unit cost, and records it', async () => {
    const created = await call(app, 'POST', '/v1/metrics', { key: w.keys.submitterA, body: { ...tenancy, unit_cost_code: 'gm-ucd-1.4/HO3.0' } });
    expect(created).toMatchObject({ status: 201, body: { ...tenancy, organisation_id: w.ids.providerA, description: '', unit_cost: homelessnessCost, archived_at: null } });
    expect(await audit('tenancy_sustained')).toEqual([{ action: 'metric.create', actor_role: 'submitter', organisation_id: w.ids.providerA, details: { kind: 'proportion' } }]);
  });

  it("lists an organisation's custom metrics to itself and admins only; others get 404", async () => {
    expect(await keys(w.keys.submitterA)).toEqual([...builtIn, 'tenancy_sustained'].sort());
    expect(await keys(w.keys.analystA)).toEqual([...builtIn, 'tenancy_sustained'].sort());
    expect(await keys(w.keys.admin)).toEqual([...builtIn, 'tenancy_sustained'].sort());
    expect(await keys(w.keys.submitterB)).toEqual(builtIn);
    expect(await keys(w.keys.funder)).toEqual(builtIn);
    for (const key of [w.keys.submitterB, w.keys.funder, w.keys.commissioner]) {
      expect(await call(app, 'GET', '/v1/metrics/tenancy_sustained', { key })).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    }
  });

  it('refuses a key already taken, by anyone, with 409', async () => {
    const taken = await call(app, 'POST', '/v1/metrics', { key: w.keys.submitterB, body: { ...tenancy, label: 'Mine' } });
    expect(taken).toMatchObject({ status: 409, body: { error: { code: 'conflict', message: 'the metric key tenancy_sustained is already taken; choose another' } } });
    const builtInKey = await call(app, 'POST', '/v1/metrics', { key: w.keys.submitterB, body: { ...tenancy, key: 'loneliness' } });
    expect(builtInKey.status).toBe(409);
    expect((await stored('tenancy_sustained')).label).toBe('Tenancy sustained');
    expect((await stored('loneliness')).organisation_id).toBeNull();
  });

  it('lets only submitters and admins add or change metrics (403)', async () => {
    for (const key of [w.keys.funder, w.keys.commissioner, w.keys.analystA]) {
      expect(await call(app, 'POST', '/v1/metrics', { key, body: { ...tenancy, key: 'funder_metric' } })).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
      expect((await call(app, 'PATCH', '/v1/metrics/loneliness', { key, body: { label: 'Lonely' } })).status).toBe(403);
    }
    expect(await t.db.selectFrom('metrics').select('key').where('key', '=', 'funder_metric').execute()).toEqual([]);
  });

  it('names every invalid field with 422, and refuses unit costs the metric may not use', async () => {
    const invalid = await call(app, 'POST', '/v1/metrics', {
      key: w.keys.submitterA,
      body: { key: 'Tenancy-Sustained', label: '', kind: 'percentage', polarity: 'lower_is_better', theme: 'outcome', description: 'd'.repeat(2001) },
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.details).toEqual([
      { path: 'key', message: 'must be 2–63 characters of a–z, 0–9 and _, starting with a letter' },
      { path: 'label', message: 'must not be empty' },
      { path: 'kind', message: 'Invalid option: expected one of "count"|"proportion"|"rate_per_1000"|"duration_minutes"|"currency_gbp"|"score"' },
      { path: 'description', message: 'must be at most 2000 characters' },
    ]);
    const otherOrg = await call(app, 'POST', '/v1/metrics', { key: w.keys.submitterA, body: { ...tenancy, key: 'other_org', organisation_id: w.ids.providerB } });
    expect(otherOrg.body.error.details).toEqual([{ path: 'organisation_id', message: "must be your own organisation's id, or left out" }]);
    const unknownCost = await call(app, 'POST', '/v1/metrics', { key: w.keys.submitterB, body: { ...tenancy, key: 'priced', unit_cost_code: 'nowhere/1' } });
    expect(unknownCost.body.error.details).toEqual([{ path: 'unit_cost_code', message: "must be the code of a built-in unit cost or one of the metric's organisation" }]);

    // A unit cost an organisation added is for its own metrics only.
    await t.db.insertInto('unit_costs').values({
      code: 'harbour/mentor-hour', organisation_id: w.ids.providerA, source_reference: 'Budget 2025', label: 'Mentor hour', unit: 'per hour',
      value_gbp: 31.5, price_year: '2025/26', source: 'Harbour Mentors budget', edition: '2025', licence: 'internal',
    }).execute();
    const othersCost = await call(app, 'POST', '/v1/metrics', { key: w.keys.submitterB, body: { ...tenancy, key: 'priced', unit_cost_code: 'harbour/mentor-hour' } });
    expect(othersCost).toMatchObject({ status: 422, body: { error: { details: [{ path: 'unit_cost_code', message: "must be the code of a built-in unit cost or one of the metric's organisation" }] } } });
    const catalogue = await call(app, 'POST', '/v1/metrics', { key: w.keys.admin, body: { ...tenancy, key: 'priced', unit_cost_code: 'harbour/mentor-hour' } });
    expect(catalogue.body.error.details).toEqual([{ path: 'unit_cost_code', message: 'must be the code of a built-in unit cost' }]);
    expect(await t.db.selectFrom('metrics').select('key').where('key', 'in', ['other_org', 'priced']).execute()).toEqual([]);

    const ownCost = await call(app, 'POST', '/v1/metrics', { key: w.keys.submitterA, body: { ...tenancy, key: 'mentor_hours', kind: 'count', unit_cost_code: 'harbour/mentor-hour' } });
    expect(ownCost).toMatchObject({ status: 201, body: { organisation_id: w.ids.providerA, unit_cost: { code: 'harbour/mentor-hour', value_gbp: 31.5, source: 'Harbour Mentors budget', licence: 'internal' } } });
  });

  it('lets an admin add to the built-in catalogue or for an organisation', async () => {
    const shared = await call(app, 'POST', '/v1/metrics', { key: w.keys.admin, body: { ...tenancy, key: 'evictions', kind: 'count', polarity: 'lower_is_better', description: 'Evictions in the period.' } });
    expect(shared).toMatchObject({ status: 201, body: { key: 'evictions', organisation_id: null, description: 'Evictions in the period.' } });
    expect(await keys(w.keys.submitterB)).toContain('evictions');
    const forB = await call(app, 'POST', '/v1/metrics', { key: w.keys.admin, body: { ...tenancy, key: 'northfield_visits', kind: 'count', organisation_id: w.ids.providerB } });
    expect(forB).toMatchObject({ status: 201, body: { organisation_id: w.ids.providerB } });
    expect(await keys(w.keys.submitterB)).toEqual([...builtIn, 'evictions', 'northfield_visits'].sort());
    expect(await audit('evictions')).toEqual([{ action: 'metric.create', actor_role: 'admin', organisation_id: null, details: { kind: 'count' } }]);
  });

  it("edits, archives and restores a custom metric; another organisation's is 404 and the catalogue is the admins'", async () => {
    const before = await stored('tenancy_sustained');
    const foreign = await call(app, 'PATCH', '/v1/metrics/tenancy_sustained', { key: w.keys.submitterB, body: { label: 'Taken over', archived: true } });
    expect(foreign).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(await stored('tenancy_sustained')).toEqual(before);
    const catalogue = await call(app, 'PATCH', '/v1/metrics/loneliness', { key: w.keys.submitterA, body: { label: 'Lonely' } });
    expect(catalogue).toMatchObject({ status: 403, body: { error: { code: 'forbidden', message: 'only an admin changes the built-in catalogue' } } });
    const kind = await call(app, 'PATCH', '/v1/metrics/tenancy_sustained', { key: w.keys.submitterA, body: { kind: 'count' } });
    expect(kind.body.error.details).toEqual([{ path: 'kind', message: 'unknown field' }, { path: '', message: 'give at least one field to change' }]);

    const edited = await call(app, 'PATCH', '/v1/metrics/tenancy_sustained', { key: w.keys.submitterA, body: { label: 'Tenancy sustained at 6 months', unit_cost_code: null } });
    expect(edited).toMatchObject({ status: 200, body: { label: 'Tenancy sustained at 6 months', unit_cost: null, kind: 'proportion' } });
    const archived = await call(app, 'PATCH', '/v1/metrics/tenancy_sustained', { key: w.keys.submitterA, body: { archived: true } });
    expect(archived.body.archived_at).toEqual(expect.any(String));
    expect((await call(app, 'GET', '/v1/metrics/tenancy_sustained', { key: w.keys.submitterA })).body.archived_at).toBe(archived.body.archived_at);
    const restored = await call(app, 'PATCH', '/v1/metrics/tenancy_sustained', { key: w.keys.submitterA, body: { archived: false } });
    expect(restored).toMatchObject({ status: 200, body: { archived_at: null } });
    expect((await stored('tenancy_sustained')).archived_at).toBeNull();

    const byAdmin = await call(app, 'PATCH', '/v1/metrics/loneliness', { key: w.keys.admin, body: { description: 'The ONS direct question.' } });
    expect(byAdmin).toMatchObject({ status: 200, body: { description: 'The ONS direct question.', organisation_id: null } });
    expect((await audit('tenancy_sustained')).map((a) => [a.action, a.actor_role, a.details])).toEqual([
      ['metric.create', 'submitter', { kind: 'proportion' }],
      ['metric.update', 'submitter', { fields: ['label', 'unit_cost_code'] }],
      ['metric.update', 'submitter', { fields: ['archived'] }],
      ['metric.update', 'submitter', { fields: ['archived'] }],
    ]);
  });

  it('row-level security lets every key read every definition, but change only its own', async () => {
    const everything = { keyId: w.ids.platform, organisationId: w.ids.platform, organisationKind: 'platform' as const, role: 'admin' as const };
    const asB = { organisationId: w.ids.providerB, role: 'submitter' as const };
    // metrics_read is wide on purpose (analytics label others' observations); the application wall narrows the listing.
    expect((await asTenant(t.db, asB, (db) => listMetrics({ db, actor: everything }))).map((m) => m.key)).toContain('tenancy_sustained');
    await expect(asTenant(t.db, asB, (db) => updateMetric({ db, actor: everything, key: 'tenancy_sustained', input: { label: 'Taken over' } }))).rejects.toBeInstanceOf(NotFoundError);
    expect((await stored('tenancy_sustained')).label).toBe('Tenancy sustained at 6 months');
  });
});

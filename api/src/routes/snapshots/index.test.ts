import { createTestDatabase, pgTargets, type TestDatabase } from '@firstmile/schema/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type FirstmileApp } from '../../app.ts';
import { call, createTenants, type Tenants } from '../../testing/index.ts';

const story = {
  title: 'Same worker, every week',
  body: 'She said it was the first time nobody had asked her to repeat her story.',
  themes: ['continuity', 'trust'],
  linked_metrics: ['repeat_conversations'],
  storyteller_role: 'person',
  consent: { status: 'given', scope: 'funders', recorded_on: '2025-02-14' },
  anonymised: true,
};

function submission(period_start: string, period_end: string, observations: Record<string, unknown>[], stories: Record<string, unknown>[] = []) {
  return { period_start, period_end, observations, stories };
}

const q1 = (observations: Record<string, unknown>[], stories: Record<string, unknown>[] = []) => submission('2025-01-01', '2025-03-31', observations, stories);

describe.each(pgTargets())('snapshots on the $name PostgreSQL', (target) => {
  let t: TestDatabase;
  let app: FirstmileApp;
  let w: Tenants;
  const snapshotsPath = () => `/v1/projects/${w.ids.projectB}/snapshots`;
  const countSnapshots = async (projectId: string) =>
    (await t.db.selectFrom('snapshots').select((eb) => eb.fn.countAll<number>().as('n')).where('project_id', '=', projectId).executeTakeFirstOrThrow()).n;

  beforeAll(async () => {
    // Enough connections for ten requests to really run at once.
    t = await createTestDatabase(target, { poolSize: 14 });
    app = createApp({ handle: t });
    w = await createTenants(t.db);
  });
  afterAll(() => t.drop());

  it('stores a submission, deriving a proportion from numerator and denominator and scanning stories', async () => {
    const body = q1(
      [
        { metric_key: 'reoffending_12m', numerator: 12, denominator: 80, comparator: { value: 0.25, kind: 'national_average', source: 'MoJ proven reoffending statistics' } },
        { metric_key: 'people_supported', value: 80 },
      ],
      [story, { ...story, title: 'Call me', body: 'Reach Sam on 07700 900123 any time.' }],
    );
    const created = await call(app, 'POST', snapshotsPath(), { key: w.keys.submitterB, body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      project_id: w.ids.projectB, period_start: '2025-01-01', period_end: '2025-03-31', version: 1, status: 'current', submitted_via: 'api',
      observations: [
        { metric_key: 'reoffending_12m', value: 0.15, numerator: 12, denominator: 80, disaggregation: {}, flags: [],
          comparator: { value: 0.25, kind: 'national_average', source: 'MoJ proven reoffending statistics', period_start: null, period_end: null } },
        { metric_key: 'people_supported', value: 80, numerator: null, denominator: null, comparator: null, flags: [] },
      ],
    });
    const stories = created.body.stories as Array<{ title: string; pii_flags: string[]; pii_cleared_at: null }>;
    expect(stories.map((s) => [s.title, s.pii_flags, s.pii_cleared_at]).sort()).toEqual([
      ['Call me', ['phone'], null],
      ['Same worker, every week', [], null],
    ]);
    const audit = await t.db.selectFrom('audit_log').select(['action', 'entity_id', 'organisation_id', 'actor_role']).where('action', '=', 'snapshot.create').execute();
    expect(audit).toEqual([{ action: 'snapshot.create', entity_id: created.body.id, organisation_id: w.ids.providerB, actor_role: 'submitter' }]);
  });

  it('makes a re-submission version 2, supersedes version 1 and keeps it', async () => {
    const again = await call(app, 'POST', snapshotsPath(), { key: w.keys.submitterB, body: q1([{ metric_key: 'people_supported', value: 82 }]) });
    expect(again.body).toMatchObject({ version: 2, status: 'current', stories: [] });
    const listed = await call(app, 'GET', snapshotsPath(), { key: w.keys.submitterB });
    expect(listed.status).toBe(200);
    expect(listed.body.snapshots.map((s: { version: number; status: string; observations: unknown[]; stories: unknown[] }) => [s.version, s.status, s.observations.length, s.stories.length])).toEqual([
      [1, 'superseded', 2, 2],
      [2, 'current', 1, 0],
    ]);
    expect(listed.body.snapshots[1].id).toBe(again.body.id);
  });

  it('lets an admin submit to any project, and refuses another provider with 404 and a funder with 403, storing nothing', async () => {
    const before = await countSnapshots(w.ids.projectB);
    const asA = await call(app, 'POST', snapshotsPath(), { key: w.keys.submitterA, body: q1([{ metric_key: 'people_supported', value: 1 }]) });
    expect(asA).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    const asFunder = await call(app, 'POST', snapshotsPath(), { key: w.keys.funder, body: q1([{ metric_key: 'people_supported', value: 1 }]) });
    expect(asFunder).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect(await countSnapshots(w.ids.projectB)).toBe(before);
    expect((await call(app, 'GET', snapshotsPath(), { key: w.keys.submitterA })).status).toBe(404);
    expect((await call(app, 'GET', snapshotsPath(), { key: w.keys.commissioner })).status).toBe(403);

    const asAdmin = await call(app, 'POST', `/v1/projects/${w.ids.projectA}/snapshots`, { key: w.keys.admin, body: q1([{ metric_key: 'people_supported', value: 5 }]) });
    expect(asAdmin).toMatchObject({ status: 201, body: { project_id: w.ids.projectA, version: 1 } });
    const unknown = await call(app, 'POST', '/v1/projects/00000000-0000-4000-8000-000000000000/snapshots', { key: w.keys.admin, body: q1([{ metric_key: 'people_supported', value: 5 }]) });
    expect(unknown.status).toBe(404);
  });

  it('checks observations against the catalogue: 422 with every path, and nothing stored', async () => {
    const before = await countSnapshots(w.ids.projectB);
    const auditBefore = await t.db.selectFrom('audit_log').select('id').execute();
    const bad = submission('2025-04-01', '2025-06-30', [
      { metric_key: 'happiness_index', value: 3 },
      { metric_key: 'people_supported', numerator: 3, denominator: 4 },
      { metric_key: 'reoffending_12m', value: 1.5 },
      { metric_key: 'waiting_list_length', value: 2.5 },
      { metric_key: 'ae_attendances', value: -4 },
      { metric_key: 'loneliness', numerator: 1, denominator: 5, comparator: { value: 40, kind: 'national_average', source: 'ONS' } },
      { metric_key: 'gp_appointments', value: 10 },
    ], [{ ...story, linked_metrics: ['continuity_of_care', 'made_up_metric'] }]);
    const response = await call(app, 'POST', snapshotsPath(), { key: w.keys.submitterB, body: bad });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('validation_failed');
    expect(response.body.error.details).toEqual([
      { path: 'observations[0].metric_key', message: '"happiness_index" is not a metric in the catalogue' },
      { path: 'observations[1].numerator', message: 'people_supported is a count: give a value, not a numerator and denominator' },
      { path: 'observations[2].value', message: 'must lie between 0 and 1 for a proportion (or give numerator and denominator)' },
      { path: 'observations[3].value', message: 'must be a whole number for a count' },
      { path: 'observations[4].value', message: 'must not be negative for a count' },
      { path: 'observations[5].comparator.value', message: 'must lie between 0 and 1 for a proportion' },
      { path: 'stories[0].linked_metrics[1]', message: '"made_up_metric" is not a metric in the catalogue' },
    ]);
    // The contract's own checks come first, with their paths too.
    const shape = await call(app, 'POST', snapshotsPath(), { key: w.keys.submitterB, body: submission('2025-04-01', '2025-06-30', [{ metric_key: 'reoffending_12m', numerator: 9, denominator: 4 }]) });
    expect(shape.body.error.details).toEqual([{ path: 'observations[0].numerator', message: 'must not exceed denominator (4)' }]);
    expect(await countSnapshots(w.ids.projectB)).toBe(before);
    expect(await t.db.selectFrom('observations').select('id').where('metric_key', '=', 'gp_appointments').execute()).toEqual([]);
    expect(await t.db.selectFrom('audit_log').select('id').execute()).toHaveLength(auditBefore.length);
  });

  it("flags a figure far outside the project's own history for review, and shows the flag", async () => {
    // A's project: people_supported in four earlier quarters, 10, 12, 11, 13 (the last corrected
    // from 100, which is superseded and so not history). Median 11.5; deviations 1.5, 0.5, 0.5,
    // 1.5, so MAD 1. For 18: z = 0.6745 × 6.5 / 1 = 4.38 > 3.5, flagged; for 14: z = 1.69, not.
    const path = `/v1/projects/${w.ids.projectA}/snapshots`;
    const quarters = [['2023-01-01', '2023-03-31', 10], ['2023-04-01', '2023-06-30', 12], ['2023-07-01', '2023-09-30', 11], ['2023-10-01', '2023-12-31', 100], ['2023-10-01', '2023-12-31', 13]] as const;
    for (const [start, end, value] of quarters) {
      const r = await call(app, 'POST', path, { key: w.keys.submitterA, body: submission(start, end, [
        { metric_key: 'people_supported', value },
        { metric_key: 'people_supported', value, disaggregation: { age_band: '18-24' } },
      ]) });
      expect(r.status).toBe(201);
      // Three earlier periods are not enough to judge the fourth, however far off it is.
      expect(r.body.observations[0].flags).toEqual([]);
    }
    const later = await call(app, 'POST', path, { key: w.keys.submitterA, body: submission('2024-01-01', '2024-03-31', [
      { metric_key: 'people_supported', value: 18 },
      { metric_key: 'people_supported', value: 14, disaggregation: { age_band: '18-24' } },
    ]) });
    expect(later.status).toBe(201);
    expect(later.body.observations.map((o: { value: number; flags: string[] }) => [o.value, o.flags])).toEqual([
      [18, ['outlier_for_review']],
      [14, []],
    ]);
    const listed = await call(app, 'GET', path, { key: w.keys.submitterA });
    const current = listed.body.snapshots.find((s: { period_start: string }) => s.period_start === '2024-01-01');
    expect(current.observations[0].flags).toEqual(['outlier_for_review']);
    const stored = await t.db.selectFrom('observations').select('flags').where('snapshot_id', '=', later.body.id).orderBy('id').execute();
    expect(stored).toEqual([{ flags: ['outlier_for_review'] }, { flags: [] }]);
  });

  it('shows a funder only the periods it funds, and nothing of projects it does not fund', async () => {
    const unfunded = await call(app, 'POST', snapshotsPath(), { key: w.keys.submitterB, body: submission('2026-01-01', '2026-03-31', [{ metric_key: 'people_supported', value: 90 }]) });
    expect(unfunded.status).toBe(201);
    const asFunder = await call(app, 'GET', snapshotsPath(), { key: w.keys.funder });
    expect(asFunder.status).toBe(200);
    const periods = asFunder.body.snapshots.map((s: { period_start: string; version: number }) => `${s.period_start} v${s.version}`);
    expect(periods).toContain('2025-01-01 v2');
    expect(periods).not.toContain('2026-01-01 v1');
    expect((await call(app, 'GET', `/v1/projects/${w.ids.projectA}/snapshots`, { key: w.keys.funder })).status).toBe(404);
    const asOwner = await call(app, 'GET', snapshotsPath(), { key: w.keys.submitterB });
    expect(asOwner.body.snapshots.map((s: { period_start: string }) => s.period_start)).toContain('2026-01-01');
  });

  describe('Idempotency-Key', () => {
    const body = () => submission('2025-07-01', '2025-09-30', [{ metric_key: 'people_supported', value: 70 }]);

    it('replays the original answer for the same key and body, once, and refuses a different body with 409', async () => {
      const headers = { 'idempotency-key': 'submit-2025-q3' };
      const first = await call(app, 'POST', snapshotsPath(), { key: w.keys.submitterB, body: body(), headers });
      expect(first.status).toBe(201);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      const firstText = JSON.stringify(first.body);
      const again = await app.request(snapshotsPath(), {
        method: 'POST',
        headers: { authorization: `Bearer ${w.keys.submitterB}`, 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body()),
      });
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(await again.text()).toBe(firstText);
      const rows = await t.db.selectFrom('snapshots').select('version').where('project_id', '=', w.ids.projectB).where('period_start', '=', '2025-07-01').execute();
      expect(rows).toEqual([{ version: 1 }]);

      const different = await call(app, 'POST', snapshotsPath(), { key: w.keys.submitterB, body: { ...body(), period_end: '2025-09-29' }, headers });
      expect(different).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
      expect(await t.db.selectFrom('snapshots').select('id').where('project_id', '=', w.ids.projectB).where('period_start', '=', '2025-07-01').execute()).toHaveLength(1);
      const key = await t.db.selectFrom('idempotency_keys').selectAll().where('key', '=', 'submit-2025-q3').executeTakeFirstOrThrow();
      expect(key).toMatchObject({ organisation_id: w.ids.providerB, method: 'POST', path: snapshotsPath(), state: 'completed', response_status: 201 });
      expect(key.expires_at.getTime() - key.created_at.getTime()).toBe(24 * 3600 * 1000);
    });

    it('keeps keys per organisation: another organisation may use the same key', async () => {
      const headers = { 'idempotency-key': 'submit-2025-q3' };
      const asA = await call(app, 'POST', `/v1/projects/${w.ids.projectA}/snapshots`, { key: w.keys.submitterA, body: body(), headers });
      expect(asA.status).toBe(201);
      expect(asA.headers.get('idempotent-replayed')).toBeNull();
    });

    it('does the work once when ten requests with one key arrive together', async () => {
      const payload = JSON.stringify(submission('2025-10-01', '2025-12-31', [{ metric_key: 'people_supported', value: 75 }]));
      const responses = await Promise.all(
        Array.from({ length: 10 }, () =>
          app.request(snapshotsPath(), {
            method: 'POST',
            headers: { authorization: `Bearer ${w.keys.submitterB}`, 'content-type': 'application/json', 'idempotency-key': 'ten-at-once' },
            body: payload,
          }),
        ),
      );
      const texts = await Promise.all(responses.map((r) => r.text()));
      expect(responses.map((r) => r.status)).toEqual(Array(10).fill(201));
      expect(new Set(texts).size).toBe(1);
      expect(responses.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(9);
      const stored = await t.db.selectFrom('snapshots').select('version').where('project_id', '=', w.ids.projectB).where('period_start', '=', '2025-10-01').execute();
      expect(stored).toEqual([{ version: 1 }]);
    });

    it('gives a refused request its key back, so the corrected retry goes through', async () => {
      const headers = { 'idempotency-key': 'fix-and-retry' };
      const refused = await call(app, 'POST', snapshotsPath(), { key: w.keys.submitterB, body: submission('2024-07-01', '2024-09-30', [{ metric_key: 'nope_metric', value: 1 }]), headers });
      expect(refused.status).toBe(422);
      expect(await t.db.selectFrom('idempotency_keys').select('key').where('key', '=', 'fix-and-retry').execute()).toEqual([]);
      const retried = await call(app, 'POST', snapshotsPath(), { key: w.keys.submitterB, body: submission('2024-07-01', '2024-09-30', [{ metric_key: 'people_supported', value: 1 }]), headers });
      expect(retried).toMatchObject({ status: 201, body: { version: 1 } });
    });

    it('refuses a key longer than 255 characters', async () => {
      const response = await call(app, 'POST', snapshotsPath(), { key: w.keys.submitterB, body: body(), headers: { 'idempotency-key': 'k'.repeat(256) } });
      expect(response).toMatchObject({ status: 422, body: { error: { details: [{ path: 'Idempotency-Key', message: 'must be at most 255 characters' }] } } });
    });

    it('clears expired keys as it goes', async () => {
      await t.db.insertInto('idempotency_keys').values({
        organisation_id: w.ids.providerB, key: 'old-key', method: 'POST', path: snapshotsPath(), request_hash: Buffer.alloc(32),
        state: 'completed', response_status: 201, response_body: JSON.stringify('{}'), created_at: '2020-01-01T00:00:00Z', expires_at: new Date('2020-01-02T00:00:00Z'),
      }).execute();
      const reused = await call(app, 'POST', snapshotsPath(), { key: w.keys.submitterB, body: submission('2023-01-01', '2023-03-31', [{ metric_key: 'people_supported', value: 3 }]), headers: { 'idempotency-key': 'old-key' } });
      expect(reused.status).toBe(201);
      expect(reused.headers.get('idempotent-replayed')).toBeNull();
      const key = await t.db.selectFrom('idempotency_keys').select(['response_status', 'created_at']).where('key', '=', 'old-key').executeTakeFirstOrThrow();
      expect(key.created_at.getFullYear()).toBeGreaterThan(2020);
    });
  });

  it('serialises concurrent submissions of one period into versions 1, 2, 3, …', async () => {
    const payload = (value: number) => JSON.stringify(submission('2023-04-01', '2023-06-30', [{ metric_key: 'people_supported', value }]));
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        app.request(snapshotsPath(), { method: 'POST', headers: { authorization: `Bearer ${w.keys.submitterB}`, 'content-type': 'application/json' }, body: payload(i) }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(6).fill(201));
    const rows = await t.db.selectFrom('snapshots').select(['version', 'status']).where('project_id', '=', w.ids.projectB).where('period_start', '=', '2023-04-01').orderBy('version').execute();
    expect(rows).toEqual([1, 2, 3, 4, 5, 6].map((version) => ({ version, status: version === 6 ? 'current' : 'superseded' })));
  });
});

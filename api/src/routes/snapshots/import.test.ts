import { createTestDatabase, pgTargets, type TestDatabase } from '@firstmile/schema/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type FirstmileApp } from '../../app.ts';
import { call, createTenants, type Tenants } from '../../testing/index.ts';

const HEADER = 'period_start,period_end,metric_key,value,numerator,denominator,comparator_value,comparator_kind,comparator_source';
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n') + '\n';

describe.each(pgTargets())('snapshot CSV import on the $name PostgreSQL', (target) => {
  let t: TestDatabase;
  let app: FirstmileApp;
  let w: Tenants;
  const importPath = () => `/v1/projects/${w.ids.projectB}/snapshots:import`;
  const upload = (text: string, key = w.keys.submitterB, headers: Record<string, string> = {}) =>
    call(app, 'POST', importPath(), { key, raw: text, headers: { 'content-type': 'text/csv', ...headers } });

  beforeAll(async () => {
    t = await createTestDatabase(target);
    app = createApp({ handle: t });
    w = await createTenants(t.db);
  });
  afterAll(() => t.drop());

  it('routes the literal path segment snapshots:import, and documents it so', async () => {
    const doc = await call(app, 'GET', '/openapi.json');
    expect(Object.keys(doc.body.paths)).toContain('/v1/projects/{projectId}/snapshots:import');
    expect(doc.body.paths['/v1/projects/{projectId}/snapshots:import'].post.requestBody.content).toHaveProperty('text/csv');
    // Hono's RegExpRouter would read ":import" as a parameter; neither look-alike may reach the import.
    for (const path of [`/v1/projects/${w.ids.projectB}/snapshotsimport`, `/v1/projects/${w.ids.projectB}/snapshots:export`, `/v1/projects/${w.ids.projectB}/snapshots:importx`]) {
      const response = await call(app, 'POST', path, { key: w.keys.submitterB, raw: csv(), headers: { 'content-type': 'text/csv' } });
      expect(response, path).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    }
    // The JSON route next to it is untouched.
    const json = await call(app, 'POST', `/v1/projects/${w.ids.projectB}/snapshots`, { key: w.keys.submitterB, raw: csv(), headers: { 'content-type': 'text/csv' } });
    expect(json.status).toBe(415);
  });

  it('stores the good rows of a mixed file, one version per period, and reports every bad row by line', async () => {
    const text = csv(
      '2025-01-01,2025-03-31,people_supported,80,,,,,', // 2
      '2025-01-01,2025-03-31,reoffending_12m,,12,80,0.25,national_average,MoJ proven reoffending statistics', // 3
      '2025-01-01,2025-03-31,reoffending_12m,,90,80,,,', // 4: numerator above denominator
      '2025-01-01,2025-03-31,waiting_list_length,-3,,,,,', // 5: negative count
      '2025-04-01,2025-06-30,people_supported,84,,,,,', // 6
      '2025-04-01,2025-06-30,loneliness,1.4,,,,,', // 7: proportion above 1
      '2025-04-01,2025-06-30,not_a_metric,3,,,,,', // 8: unknown metric
      '2025-04-31,2025-06-30,people_supported,3,,,,,', // 9: no 31 April
    );
    const response = await upload(text);
    expect(response.status).toBe(201);
    const [q1, q2] = response.body.snapshots as Array<{ id: string; period_start: string; version: number; submitted_via: string; observations: Array<{ metric_key: string; value: number }> }>;
    expect(response.body.accepted).toEqual([
      { line: 2, period_start: '2025-01-01', metric_key: 'people_supported', snapshot_id: q1!.id, version: 1 },
      { line: 3, period_start: '2025-01-01', metric_key: 'reoffending_12m', snapshot_id: q1!.id, version: 1 },
      { line: 6, period_start: '2025-04-01', metric_key: 'people_supported', snapshot_id: q2!.id, version: 1 },
    ]);
    expect(response.body.rejected).toEqual([
      { line: 4, field: 'numerator', reason: 'must not exceed denominator (80)' },
      { line: 5, field: 'value', reason: 'must not be negative for a count' },
      { line: 7, field: 'value', reason: 'must lie between 0 and 1 for a proportion (or give numerator and denominator)' },
      { line: 8, field: 'metric_key', reason: '"not_a_metric" is not a metric in the catalogue' },
      { line: 9, field: 'period_start', reason: 'must be a real calendar date written YYYY-MM-DD' },
    ]);
    expect(response.body.snapshots.map((s: { period_start: string; version: number; status: string; submitted_via: string; stories: unknown[] }) => [s.period_start, s.version, s.status, s.submitted_via, s.stories])).toEqual([
      ['2025-01-01', 1, 'current', 'csv', []],
      ['2025-04-01', 1, 'current', 'csv', []],
    ]);
    expect(q1!.observations.map((o) => [o.metric_key, o.value])).toEqual([['people_supported', 80], ['reoffending_12m', 0.15]]);
    const stored = await t.db.selectFrom('observations').select('metric_key').where('snapshot_id', 'in', [q1!.id, q2!.id]).orderBy('id').execute();
    expect(stored.map((r) => r.metric_key)).toEqual(['people_supported', 'reoffending_12m', 'people_supported']);
    const audit = await t.db.selectFrom('audit_log').select(['action', 'details']).where('action', 'in', ['snapshot.import', 'snapshot.create']).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['snapshot.create', 'snapshot.create', 'snapshot.import']);
    expect(audit[2]!.details).toEqual({ accepted: 3, rejected: 5, snapshot_ids: [q1!.id, q2!.id] });
  });

  it('makes a re-import of a period its next version, and handles several periods in one file', async () => {
    const text = csv(
      '2025-04-01,2025-06-30,people_supported,85,,,,,',
      '2025-07-01,2025-09-30,people_supported,88,,,,,',
      '2025-07-01,2025-09-30,sustained_employment,,7,20,,,',
    );
    const response = await upload(text);
    expect(response.status).toBe(201);
    expect(response.body.rejected).toEqual([]);
    expect(response.body.accepted.map((a: { line: number; period_start: string; version: number }) => [a.line, a.period_start, a.version])).toEqual([
      [2, '2025-04-01', 2],
      [3, '2025-07-01', 1],
      [4, '2025-07-01', 1],
    ]);
    const listed = await call(app, 'GET', `/v1/projects/${w.ids.projectB}/snapshots`, { key: w.keys.submitterB });
    expect(listed.body.snapshots.map((s: { period_start: string; version: number; status: string }) => `${s.period_start} v${s.version} ${s.status}`)).toEqual([
      '2025-01-01 v1 current',
      '2025-04-01 v1 superseded',
      '2025-04-01 v2 current',
      '2025-07-01 v1 current',
    ]);
  });

  it('answers 422 with the rejections when no row can be accepted, and stores nothing', async () => {
    const before = await t.db.selectFrom('snapshots').select('id').execute();
    const response = await upload(csv('2025-10-01,2025-12-31,people_supported,lots,,,,,', '2025-10-01,2025-12-31,reoffending_12m', '2025-10-01,2025-12-31,loneliness,0.2,,,0.3,guess,ONS'));
    expect(response.status).toBe(422);
    expect(response.body.error).toEqual({
      code: 'validation_failed',
      message: 'no row of the file could be accepted',
      details: [
        { path: 'lines[2].value', message: 'must be a number written with digits and an optional decimal point, e.g. 12 or 0.15, not "lots"' },
        { path: 'lines[3]', message: 'has 3 fields; the header has 9' },
        { path: 'lines[4].comparator_kind', message: 'Invalid option: expected one of "national_average"|"baseline"|"control_group"|"target"' },
      ],
    });
    const header = await upload('period_start,period_end,metric_key,colour\n');
    expect(header.status).toBe(422);
    expect(header.body.error.details[0].path).toBe('lines[1]');
    expect(await t.db.selectFrom('snapshots').select('id').execute()).toHaveLength(before.length);
  });

  it('takes only UTF-8 text/csv, and only from the project\'s submitters and admins', async () => {
    expect((await call(app, 'POST', importPath(), { key: w.keys.submitterB, raw: csv(), headers: { 'content-type': 'text/plain' } })).status).toBe(415);
    expect((await upload(csv(), w.keys.submitterB, { 'content-type': 'text/csv; charset=latin1' })).status).toBe(415);
    const latin1 = await app.request(importPath(), {
      method: 'POST',
      headers: { authorization: `Bearer ${w.keys.submitterB}`, 'content-type': 'text/csv' },
      body: new Uint8Array([0x70, 0xe9, 0x0a]),
    });
    expect(latin1.status).toBe(400);
    const row = csv('2025-10-01,2025-12-31,people_supported,5,,,,,');
    expect((await upload(row, w.keys.submitterA)).status).toBe(404);
    expect((await upload(row, w.keys.funder)).status).toBe(403);
    expect(await t.db.selectFrom('snapshots').select('id').where('period_start', '=', '2025-10-01').execute()).toEqual([]);
    const asAdmin = await upload(row, w.keys.admin);
    expect(asAdmin.status).toBe(201);
  });

  it('honours Idempotency-Key on the import', async () => {
    const text = csv('2024-01-01,2024-03-31,people_supported,40,,,,,');
    const headers = { 'idempotency-key': 'import-2024-q1' };
    const first = await upload(text, w.keys.submitterB, headers);
    const again = await upload(text, w.keys.submitterB, headers);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await t.db.selectFrom('snapshots').select('version').where('period_start', '=', '2024-01-01').execute()).toEqual([{ version: 1 }]);
    expect((await upload(csv('2024-01-01,2024-03-31,people_supported,41,,,,,'), w.keys.submitterB, headers)).status).toBe(409);
  });

  it('accepts a CSV larger than the 5 MB JSON limit, up to 20 MB', async () => {
    const padding = '\n'.repeat(6 * 1024 * 1024);
    const big = await upload(csv('2024-04-01,2024-06-30,people_supported,41,,,,,') + padding);
    expect(big.status).toBe(201);
    expect(big.body.accepted).toHaveLength(1);
    const tooBig = await upload(csv() + '\n'.repeat(21 * 1024 * 1024));
    expect(tooBig).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large', message: 'the body is larger than 20 MB' } } });
    const bigJson = await call(app, 'POST', `/v1/projects/${w.ids.projectB}/snapshots`, { key: w.keys.submitterB, raw: ' '.repeat(6 * 1024 * 1024), headers: { 'content-type': 'application/json' } });
    expect(bigJson).toMatchObject({ status: 413, body: { error: { message: 'the body is larger than 5 MB' } } });
  });
});

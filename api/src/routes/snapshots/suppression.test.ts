import { createTestDatabase, pgTargets, type TestDatabase } from '@firstmile/schema/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type FirstmileApp } from '../../app.ts';
import { call, createTenants, type Tenants } from '../../testing/index.ts';

describe.each(pgTargets())('small numbers in snapshots on the $name PostgreSQL', (target) => {
  let t: TestDatabase;
  let app: FirstmileApp;
  let w: Tenants;
  beforeAll(async () => {
    t = await createTestDatabase(target);
    app = createApp({ handle: t });
    w = await createTenants(t.db);
    const submitted = await call(app, 'POST', `/v1/projects/${w.ids.projectB}/snapshots`, {
      key: w.keys.submitterB,
      body: {
        period_start: '2024-04-01',
        period_end: '2024-06-30',
        observations: [
          { metric_key: 'reoffending_12m', numerator: 3, denominator: 40 },
          { metric_key: 'sustained_employment', numerator: 17, denominator: 208 },
          { metric_key: 'ae_attendances', value: 6 },
          { metric_key: 'non_elective_admissions', value: 0 },
        ],
        stories: [],
      },
    });
    expect(submitted.status).toBe(201);
  });
  afterAll(() => t.drop());

  const byMetric = (body: Array<{ observations: Array<{ metric_key: string }> }>) =>
    Object.fromEntries(body[0]!.observations.map((o) => [o.metric_key, o]));

  it('shows the submitting organisation its exact figures', async () => {
    const own = await call(app, 'GET', `/v1/projects/${w.ids.projectB}/snapshots`, { key: w.keys.submitterB });
    const o = byMetric(own.body.snapshots);
    expect(o.reoffending_12m).toMatchObject({ numerator: 3, denominator: 40, value: 3 / 40, suppressed_fields: [] });
    expect(o.ae_attendances).toMatchObject({ value: 6, suppressed_fields: [] });
  });

  it('shows a funder withheld small counts as null, rounded others, and rates from the rounded counts', async () => {
    const funder = await call(app, 'GET', `/v1/projects/${w.ids.projectB}/snapshots`, { key: w.keys.funder });
    expect(funder.status).toBe(200);
    const o = byMetric(funder.body.snapshots);
    // 3 of 40: 3 is withheld, so is the rate; 40 stays 40.
    expect(o.reoffending_12m).toMatchObject({ numerator: null, denominator: 40, value: null, suppressed_fields: ['numerator', 'value'] });
    // 17 of 208 → 15 of 210 → 0.0714…
    expect(o.sustained_employment).toMatchObject({ numerator: 15, denominator: 210, value: 15 / 210, suppressed_fields: [] });
    expect(o.ae_attendances).toMatchObject({ value: null, suppressed_fields: ['value'] });
    expect(o.non_elective_admissions).toMatchObject({ value: 0, suppressed_fields: [] });
  });
});

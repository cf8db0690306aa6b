import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, pgTargets, type TestDatabase } from '../testing/index.ts';

/** The database keeps bad data out by itself, whoever writes. */
describe.each(pgTargets())('constraints on the $name PostgreSQL', (target) => {
  let t: TestDatabase;
  let provider: string;
  let funder: string;
  let project: string;
  let service: string;
  let snapshot: string;

  beforeAll(async () => {
    t = await createTestDatabase(target);
    const orgs = await t.db
      .insertInto('organisations')
      .values([
        { name: 'Harbour Mentors', kind: 'provider' },
        { name: 'Riverside Fund', kind: 'funder' },
      ])
      .returning('id')
      .execute();
    provider = orgs[0]!.id;
    funder = orgs[1]!.id;
    project = (
      await t.db
        .insertInto('projects')
        .values({ organisation_id: provider, name: 'Through the Gate', sector: 'justice', place_code: 'DEMO-A', started_on: '2024-01-01' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    service = (
      await t.db
        .insertInto('services')
        .values({ organisation_id: provider, name: 'Mentoring team', kind: 'community_project', place_code: 'DEMO-A', project_id: project })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    snapshot = (
      await t.db
        .insertInto('snapshots')
        .values({ organisation_id: provider, project_id: project, period_start: '2024-04-01', period_end: '2024-06-30', version: 1, submitted_via: 'cli' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(() => t.drop());

  const observation = (extra: Record<string, unknown>) =>
    t.db
      .insertInto('observations')
      .values({ organisation_id: provider, snapshot_id: snapshot, metric_key: 'reoffending_12m', ...extra } as never)
      .returning(['value'])
      .executeTakeFirstOrThrow();

  it('derives a proportion from numerator and denominator', async () => {
    const row = await observation({ numerator: 2, denominator: 25, disaggregation: JSON.stringify({ band: 'derive' }) });
    expect(row.value).toBeCloseTo(0.08, 12);
  });

  it('rejects a numerator above its denominator', async () => {
    await expect(observation({ numerator: 26, denominator: 25 })).rejects.toThrow(/observations_check/);
  });

  it('rejects negative counts and a numerator without a denominator', async () => {
    await expect(observation({ numerator: -1, denominator: 25 })).rejects.toThrow(/numerator_check/);
    await expect(observation({ numerator: 3 })).rejects.toThrow(/violates check constraint/);
  });

  it('rejects a proportion outside 0–1 and a fractional or negative count, by metric kind', async () => {
    await expect(observation({ value: 1.2 })).rejects.toThrow('reoffending_12m is a proportion: value must lie between 0 and 1');
    await expect(observation({ metric_key: 'ae_attendances', value: 12.5 })).rejects.toThrow(
      'ae_attendances is a count and must be a whole number',
    );
    await expect(observation({ metric_key: 'ae_attendances', value: -3 })).rejects.toThrow(
      'ae_attendances is a count and cannot be negative',
    );
    await expect(observation({ metric_key: 'ae_attendances', numerator: 1, denominator: 2 })).rejects.toThrow(
      'give a value, not a numerator and denominator',
    );
  });

  it('rejects NaN and infinite values', async () => {
    await expect(observation({ metric_key: 'ae_attendances', value: Number.NaN })).rejects.toThrow(/value_check/);
    await expect(observation({ metric_key: 'ae_attendances', value: Number.POSITIVE_INFINITY })).rejects.toThrow(/value_check/);
  });

  it('rejects a period that ends before it starts', async () => {
    const attempt = t.db
      .insertInto('snapshots')
      .values({ organisation_id: provider, project_id: project, period_start: '2024-07-01', period_end: '2024-06-30', version: 1, submitted_via: 'cli' })
      .execute();
    await expect(attempt).rejects.toThrow(/snapshots_check/);
  });

  it('keeps one row per (project, period, version) and one current version per period', async () => {
    const again = (version: number, status: 'current' | 'superseded') =>
      t.db
        .insertInto('snapshots')
        .values({ organisation_id: provider, project_id: project, period_start: '2024-04-01', period_end: '2024-06-30', version, status, submitted_via: 'cli' })
        .execute();
    await expect(again(1, 'superseded')).rejects.toThrow(/snapshots_version_unique/);
    await expect(again(2, 'current')).rejects.toThrow(/snapshots_one_current/);
  });

  it('lets only providers run projects and only funders fund', async () => {
    const attempt = t.db
      .insertInto('projects')
      .values({ organisation_id: funder, name: 'Not ours', sector: 'other', place_code: 'X', started_on: '2024-01-01' })
      .execute();
    await expect(attempt).rejects.toThrow('a project must belong to an organisation of kind provider, not funder');
    const funding = t.db
      .insertInto('funding')
      .values({ organisation_id: provider, project_id: project, funder_id: provider, from_date: '2024-01-01', to_date: '2025-01-01', amount_gbp: 1000 })
      .execute();
    await expect(funding).rejects.toThrow('a funder must belong to an organisation of kind funder, not provider');
  });

  it('keeps a story without consent inside its own organisation', async () => {
    const story = (consent_status: 'withheld' | 'given', consent_scope: 'public' | 'internal', consent_recorded_on: string | null) =>
      t.db
        .insertInto('stories')
        .values({
          organisation_id: provider, snapshot_id: snapshot, project_id: project, title: 'A first meeting',
          body: 'We met at the gate.', storyteller_role: 'practitioner', consent_status, consent_scope,
          consent_recorded_on, anonymised: false,
        })
        .execute();
    await expect(story('withheld', 'public', null)).rejects.toThrow(/stories_check/);
    await expect(story('given', 'public', null)).rejects.toThrow(/stories_check/);
    await expect(story('withheld', 'internal', null)).resolves.toBeDefined();
  });

  it('stores a re-sent contact once: the natural key holds even without a source id', async () => {
    const contact = {
      organisation_id: provider, service_id: service, person_ref: 'p-7f3a', occurred_at: '2024-05-01T10:00:00Z',
      minutes: 30, channel: 'face_to_face' as const, outcome: 'resolved' as const,
    };
    await t.db.insertInto('contacts').values(contact).execute();
    await expect(t.db.insertInto('contacts').values(contact).execute()).rejects.toThrow(/contacts_natural_key/);
    await expect(t.db.insertInto('contacts').values({ ...contact, minutes: 1441 }).execute()).rejects.toThrow(/minutes_check/);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM contacts`.execute(t.db);
    expect(rows[0]!.n).toBe(1);
  });

  it('makes the audit log append-only', async () => {
    await t.db.insertInto('audit_log').values({ action: 'test.write', entity: 'test' }).execute();
    await expect(t.db.updateTable('audit_log').set({ action: 'changed' }).execute()).rejects.toThrow('the audit log is append-only');
    await expect(t.db.deleteFrom('audit_log').execute()).rejects.toThrow('the audit log is append-only');
    await expect(sql`TRUNCATE audit_log`.execute(t.db)).rejects.toThrow('the audit log is append-only');
    const rows = await t.db.selectFrom('audit_log').select('action').execute();
    expect(rows).toEqual([{ action: 'test.write' }]);
  });

  it('ships the catalogue with citable unit costs, and none where no citable value exists', async () => {
    const rows = await t.db
      .selectFrom('metrics')
      .leftJoin('unit_costs', 'unit_costs.code', 'metrics.unit_cost_code')
      .select(['metrics.key', 'unit_costs.source_reference', 'unit_costs.value_gbp', 'unit_costs.price_year', 'unit_costs.licence', 'unit_costs.edition'])
      .orderBy('metrics.key')
      .execute();
    const byKey = Object.fromEntries(rows.map((r) => [r.key, r]));
    for (const key of [
      'repeat_conversations', 'reoffending_12m', 'non_elective_admissions', 'ae_attendances', 'gp_appointments',
      'waiting_list_length', 'sustained_employment', 'medication_adherence', 'continuity_of_care',
      'staff_retention', 'loneliness', 'homelessness_applications',
    ]) {
      expect(byKey[key], key).toBeDefined();
    }
    expect(byKey.non_elective_admissions).toMatchObject({ source_reference: 'HE7.0.2', value_gbp: 1542, price_year: '2013/14', licence: 'CC BY 4.0', edition: 'v1.4 (March 2015)' });
    expect(byKey.ae_attendances).toMatchObject({ source_reference: 'HE4.0', value_gbp: 109, price_year: '2011/12' });
    expect(byKey.gp_appointments).toMatchObject({ source_reference: 'HE20.2', value_gbp: 38, price_year: '2013/14' });
    expect(byKey.homelessness_applications).toMatchObject({ source_reference: 'HO3.0', value_gbp: 2501, price_year: '2010/11' });
    expect(byKey.reoffending_12m?.value_gbp).toBeNull();
    const social = await t.db.selectFrom('unit_costs').selectAll().where('source_reference', '=', 'SS18.1').executeTakeFirstOrThrow();
    expect(social).toMatchObject({ value_gbp: 40, unit: 'per hour', price_year: '2013/14' });
  });
});

import { randomBytes } from 'node:crypto';
import { openDatabase } from '@firstmile/schema';
import { createTestDatabase, databaseUrl, pgTargets, type TestDatabase } from '@firstmile/schema/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWorld, WorldExistsError, type GenerateProgress, type GenerateSummary } from './generate-world.ts';
import { generatePeople } from './people.ts';
import { planWorld } from './world-plan.ts';

const tables = [
  'places', 'organisations', 'commissioner_places', 'projects', 'funding', 'services', 'snapshots', 'observations', 'stories', 'contacts',
] as const;

async function tableCounts(t: TestDatabase): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const { rows } = await t.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    counts[table] = rows[0]?.n ?? -1;
  }
  return counts;
}

/** A digest of every row the generator decides (not created_at, which the database stamps). */
async function worldDigest(t: TestDatabase): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  const queries: Record<string, string> = {
    organisations: `SELECT md5(string_agg(concat_ws('|', id, name, kind), E'\\n' ORDER BY id)) AS d FROM organisations`,
    projects: `SELECT md5(string_agg(concat_ws('|', organisation_id, id, name, sector, place_code, started_on), E'\\n' ORDER BY id)) AS d FROM projects`,
    funding: `SELECT md5(string_agg(concat_ws('|', id, project_id, funder_id, from_date, to_date, amount_gbp), E'\\n' ORDER BY id)) AS d FROM funding`,
    services: `SELECT md5(string_agg(concat_ws('|', id, name, kind, place_code, project_id, unit_cost_gbp_per_contact, unit_cost_source), E'\\n' ORDER BY id)) AS d FROM services`,
    snapshots: `SELECT md5(string_agg(concat_ws('|', id, project_id, period_start, period_end, version, status, submitted_at), E'\\n' ORDER BY id)) AS d FROM snapshots`,
    observations: `SELECT md5(string_agg(concat_ws('|', id, snapshot_id, metric_key, value, numerator, denominator, comparator_value, comparator_kind, comparator_source, comparator_period_start, comparator_period_end, disaggregation), E'\\n' ORDER BY id)) AS d FROM observations`,
    stories: `SELECT md5(string_agg(concat_ws('|', id, snapshot_id, title, body, themes, linked_metrics, storyteller_role, consent_status, consent_scope, consent_recorded_on, anonymised), E'\\n' ORDER BY id)) AS d FROM stories`,
    contacts: `SELECT md5(string_agg(concat_ws('|', id, organisation_id, service_id, person_ref, need_ref, occurred_at, minutes, cost_gbp, channel, outcome, source_contact_id), E'\\n' ORDER BY id)) AS d FROM contacts`,
  };
  for (const [table, query] of Object.entries(queries)) {
    const { rows } = await t.pool.query<{ d: string | null }>(query);
    digests[table] = rows[0]?.d ?? 'empty';
  }
  return digests;
}

describe.each(pgTargets())('generateWorld on the $name PostgreSQL', (target) => {
  const people = 1500;
  let t: TestDatabase;
  let summary: GenerateSummary;
  const progress: GenerateProgress[] = [];

  beforeAll(async () => {
    t = await createTestDatabase(target);
    summary = await generateWorld(t, { seed: 42, people }, (p) => progress.push(p));
  }, 120_000);
  afterAll(() => t?.drop());

  it('reports the rows it wrote, and the database holds exactly those', async () => {
    expect(summary.seed).toBe(42);
    expect(summary.people).toBe(people);
    expect(Object.keys(summary.rows).sort()).toEqual([...tables].sort());
    expect(await tableCounts(t)).toEqual(summary.rows);
    expect(summary.rows.contacts! / people).toBeGreaterThan(5.5);
    expect(summary.rows.contacts! / people).toBeLessThan(6.5);
    const { rows } = await t.pool.query<{ n: number }>(`SELECT count(DISTINCT person_ref)::int AS n FROM contacts`);
    expect(rows[0]?.n).toBe(people);
  });

  it('reports progress phase by phase, ending with every person done', () => {
    const phases = [...new Set(progress.map((p) => p.phase))];
    expect(phases).toEqual(['catalogue', 'organisations', 'snapshots', 'contacts']);
    expect(progress.filter((p) => p.phase === 'contacts').at(-1)).toEqual({ phase: 'contacts', done: people, total: people });
    for (const p of progress) expect(p.done).toBeLessThanOrEqual(p.total);
  });

  it('marks every snapshot as the generator\'s, with no submitting key', async () => {
    const { rows } = await t.pool.query(`SELECT DISTINCT submitted_via, submitted_by FROM snapshots`);
    expect(rows).toEqual([{ submitted_via: 'generator', submitted_by: null }]);
  });

  it('a: the prison-leaver mentoring project reoffends at about 8% against a national average of 0.49, among several projects', async () => {
    const { rows } = await t.pool.query<{ name: string; numerator: number; denominator: number; comparator: number; kinds: string[] }>(`
      SELECT p.name, sum(o.numerator)::int AS numerator, sum(o.denominator)::int AS denominator,
             avg(o.comparator_value) AS comparator, array_agg(DISTINCT o.comparator_kind) AS kinds
      FROM observations o
      JOIN snapshots s ON s.organisation_id = o.organisation_id AND s.id = o.snapshot_id
      JOIN projects p ON p.organisation_id = s.organisation_id AND p.id = s.project_id
      WHERE o.metric_key = 'reoffending_12m' AND o.disaggregation = '{}' AND s.status = 'current'
      GROUP BY p.name ORDER BY p.name`);
    expect(rows.length).toBeGreaterThanOrEqual(5);
    const homecoming = rows.find((r) => r.name === 'Homecoming Mentors')!;
    const rate = homecoming.numerator / homecoming.denominator;
    expect(rate).toBeGreaterThan(0.07);
    expect(rate).toBeLessThan(0.09);
    expect(homecoming.comparator).toBeCloseTo(0.49, 10);
    expect(homecoming.kinds).toEqual(['national_average']);
    // Honesty: somebody is doing worse than their comparator.
    expect(rows.some((r) => r.numerator / r.denominator > r.comparator)).toBe(true);
  });

  it('b: the town-wide programme\'s admissions fall 14% while its comparator area\'s rise 28.5%', async () => {
    const { rows } = await t.pool.query<{ value: number; comparator_value: number; comparator_kind: string }>(`
      SELECT o.value, o.comparator_value, o.comparator_kind
      FROM observations o
      JOIN snapshots s ON s.organisation_id = o.organisation_id AND s.id = o.snapshot_id
      JOIN projects p ON p.organisation_id = s.organisation_id AND p.id = s.project_id
      WHERE p.name = 'Ashbrook Connects' AND o.metric_key = 'non_elective_admissions' AND s.status = 'current'
      ORDER BY s.period_start`);
    expect(rows).toHaveLength(8);
    const total = (from: number, to: number, pick: (r: (typeof rows)[number]) => number) =>
      rows.slice(from, to).reduce((n, r) => n + pick(r), 0);
    const project = total(4, 8, (r) => r.value) / total(0, 4, (r) => r.value);
    const comparator = total(4, 8, (r) => r.comparator_value) / total(0, 4, (r) => r.comparator_value);
    expect(project.toFixed(3)).toBe('0.860');
    expect(comparator.toFixed(3)).toBe('1.285');
    expect((project / comparator).toFixed(3)).toBe('0.669');
    expect(((project / comparator - 1) * 100).toFixed(1)).toBe('-33.1');
    expect(new Set(rows.map((r) => r.comparator_kind))).toEqual(new Set(['baseline']));
    // The superseded first return differs, so only the current version gives these ratios.
    const { rows: versions } = await t.pool.query(`
      SELECT s.version, s.status FROM snapshots s JOIN projects p ON p.organisation_id = s.organisation_id AND p.id = s.project_id
      WHERE p.name = 'Ashbrook Connects' AND s.period_start = '2024-10-01' ORDER BY s.version`);
    expect(versions).toEqual([{ version: 1, status: 'superseded' }, { version: 2, status: 'current' }]);
  });

  it('c: the housing team\'s waiting list is flat, then shrinks below its own earlier level', async () => {
    const { rows } = await t.pool.query<{ value: number; comparator_value: number; comparator_kind: string; comparator_period_end: string }>(`
      SELECT o.value, o.comparator_value, o.comparator_kind, o.comparator_period_end
      FROM observations o
      JOIN snapshots s ON s.organisation_id = o.organisation_id AND s.id = o.snapshot_id
      JOIN projects p ON p.organisation_id = s.organisation_id AND p.id = s.project_id
      WHERE p.name = 'Home Conversations' AND o.metric_key = 'waiting_list_length' AND s.status = 'current'
      ORDER BY s.period_start`);
    expect(rows).toHaveLength(8);
    const baseline = rows[0]!.comparator_value;
    for (const r of rows) expect(r).toMatchObject({ comparator_kind: 'baseline', comparator_value: baseline, comparator_period_end: '2024-12-31' });
    const flat = rows.slice(0, 3).map((r) => r.value);
    expect(Math.max(...flat) - Math.min(...flat)).toBeLessThanOrEqual(4);
    expect(Math.abs(flat.reduce((a, b) => a + b, 0) / 3 - baseline)).toBeLessThanOrEqual(0.5);
    for (let i = 3; i < rows.length; i++) expect(rows[i]!.value).toBeLessThan(rows[i - 1]!.value);
    expect(rows[7]!.value / baseline).toBeLessThan(0.7);
  });

  it('d: for the palliative team\'s people, six 10-minute conversations precede the 30-minute one that resolves the need', async () => {
    const { rows } = await t.pool.query<{ contacts: number; minutes: number; needs: number; services: number }>(`
      WITH palliative_needs AS (
        SELECT DISTINCT c.need_ref FROM contacts c JOIN services s ON s.organisation_id = c.organisation_id AND s.id = c.service_id
        WHERE s.name = 'Community palliative care team'
      ), per_need AS (
        SELECT c.need_ref, count(*)::int AS contacts, sum(c.minutes)::int AS minutes, count(DISTINCT c.service_id)::int AS services,
               (array_agg(c.outcome ORDER BY c.occurred_at DESC))[1] AS last_outcome
        FROM contacts c JOIN palliative_needs USING (need_ref) GROUP BY c.need_ref
      )
      SELECT contacts, minutes, count(*)::int AS needs, min(services)::int AS services
      FROM per_need WHERE last_outcome = 'resolved' GROUP BY contacts, minutes ORDER BY contacts`);
    expect(rows.map((r) => [r.contacts, r.minutes])).toEqual([[1, 30], [7, 90]]);
    const late = rows.find((r) => r.contacts === 7)!;
    expect(late.needs).toBeGreaterThan(5);
    expect(late.services).toBeGreaterThanOrEqual(5); // four statutory kinds and the team
    expect((late.minutes / late.contacts).toFixed(1)).toBe('12.9');
    const { rows: unresolved } = await t.pool.query(`
      SELECT count(*)::int AS n FROM contacts c JOIN services s ON s.organisation_id = c.organisation_id AND s.id = c.service_id
      WHERE s.name = 'Community palliative care team' AND (c.outcome <> 'resolved' OR c.minutes <> 30)`);
    expect(unresolved).toEqual([{ n: 0 }]);
  });

  it('costs contacts only where a published unit cost says how, with its source on the service', async () => {
    const { rows } = await t.pool.query<{ kind: string; unit_cost: number | null; source: string | null; costed: number; total: number }>(`
      SELECT s.kind, s.unit_cost_gbp_per_contact AS unit_cost, s.unit_cost_source AS source,
             count(c.cost_gbp)::int AS costed, count(c.id)::int AS total
      FROM services s LEFT JOIN contacts c ON c.organisation_id = s.organisation_id AND c.service_id = s.id
      WHERE s.place_code = 'DEMO-NORTHFIELD' GROUP BY s.kind, s.unit_cost_gbp_per_contact, s.unit_cost_source ORDER BY s.kind`);
    const byKind = Object.fromEntries(rows.map((r) => [r.kind, r]));
    expect(byKind.gp_practice).toMatchObject({ unit_cost: 38, source: 'GM UCD v1.4 HE20.2 (£38, 2013/14)', costed: 0 });
    expect(byKind.emergency_department).toMatchObject({ unit_cost: 109, costed: 0 });
    expect(byKind.social_work!.unit_cost).toBeNull();
    expect(byKind.social_work!.source).toMatch(/SS18\.1/);
    expect(byKind.social_work!.costed).toBe(byKind.social_work!.total);
    expect(byKind.probation).toMatchObject({ unit_cost: null, source: null, costed: 0 });
  });

  it('refuses to load the same world twice, and leaves the first intact', async () => {
    const before = await tableCounts(t);
    await expect(generateWorld(t, { seed: 42, people: 10 })).rejects.toBeInstanceOf(WorldExistsError);
    expect(await tableCounts(t)).toEqual(before);
  });
});

describe.each(pgTargets())('generateWorld determinism and atomicity on the $name PostgreSQL', (target) => {
  const made: TestDatabase[] = [];
  const fresh = async () => {
    const t = await createTestDatabase(target);
    made.push(t);
    return t;
  };
  afterAll(async () => {
    for (const t of made) await t.drop();
  });

  it('writes identical rows, ids included, for the same seed, and different ones for another', async () => {
    const [a, b, c] = await Promise.all([fresh(), fresh(), fresh()]);
    await Promise.all([
      generateWorld(a!, { seed: 11, people: 300 }),
      generateWorld(b!, { seed: 11, people: 300 }),
      generateWorld(c!, { seed: 12, people: 300 }),
    ]);
    const [da, db, dc] = await Promise.all([worldDigest(a!), worldDigest(b!), worldDigest(c!)]);
    expect(db).toEqual(da);
    for (const table of ['organisations', 'projects', 'snapshots', 'observations', 'stories', 'contacts']) {
      expect(dc[table], table).not.toBe(da[table]);
    }
  }, 60_000);

  it('writes the same rows when a big load rebuilds the contact indexes afterwards, and restores them exactly', async () => {
    const [perRow, deferred] = await Promise.all([fresh(), fresh()]);
    const definitions = async (t: TestDatabase) =>
      (await t.pool.query<{ def: string }>(`
        SELECT pg_get_indexdef(indexrelid) AS def FROM pg_index WHERE indrelid = 'contacts'::regclass
        UNION ALL SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'contacts'::regclass
        ORDER BY 1`)).rows.map((r) => r.def);
    const before = await definitions(deferred!);
    await generateWorld(perRow!, { seed: 11, people: 300 });
    await generateWorld(deferred!, { seed: 11, people: 300 }, () => {}, { deferContactIndexesFrom: 1, chunkPeople: 7 });
    expect(await worldDigest(deferred!)).toEqual(await worldDigest(perRow!));
    expect(await definitions(deferred!)).toEqual(before);
    expect(before.some((d) => d.includes('UNIQUE NULLS NOT DISTINCT'))).toBe(true);
  }, 60_000);

  it('leaves nothing behind when a write fails part-way through the contacts', async () => {
    const t = await fresh();
    // A rule the 151st person's contacts break: the COPY fails after the catalogue,
    // organisations, snapshots and 150 people are written.
    const [victim] = [...generatePeople(planWorld(5), { people: 151, firstIndex: 150 })];
    await t.pool.query(`ALTER TABLE contacts ADD CONSTRAINT generator_test_refuses CHECK (person_ref <> '${victim!.personRef}')`);
    await expect(generateWorld(t, { seed: 5, people: 300 })).rejects.toThrow(/generator_test_refuses/);
    expect(Object.values(await tableCounts(t)).every((n) => n === 0)).toBe(true);

    await t.pool.query(`ALTER TABLE contacts DROP CONSTRAINT generator_test_refuses`);
    const summary = await generateWorld(t, { seed: 5, people: 300 });
    expect(await tableCounts(t)).toEqual(summary.rows);
  }, 60_000);
});

describe.each(pgTargets())('generateWorld under forced row-level security on the $name PostgreSQL', (target) => {
  let t: TestDatabase;
  let owner: Awaited<ReturnType<typeof openDatabase>>;
  const role = `firstmile_owner_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    t = await createTestDatabase(target);
    // A production-like owner: owns the contacts table, is no superuser and cannot bypass RLS.
    await t.pool.query(`CREATE ROLE ${role} NOLOGIN NOSUPERUSER NOBYPASSRLS`);
    await t.pool.query(`GRANT ${role} TO CURRENT_USER`);
    await t.pool.query(`GRANT USAGE, CREATE ON SCHEMA public TO ${role}`);
    await t.pool.query(`GRANT ALL ON ALL TABLES IN SCHEMA public TO ${role}`);
    await t.pool.query(`GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
    await t.pool.query(`ALTER TABLE contacts OWNER TO ${role}`);
    const url = new URL(t.url);
    url.searchParams.set('options', `-c app.role=system -c role=${role}`);
    owner = await openDatabase({ url: url.toString(), migrate: false });
  });
  afterAll(async () => {
    await owner?.close();
    await t?.drop();
    const admin = await openDatabase({ url: databaseUrl(target.adminUrl, 'postgres'), migrate: false, requireDurability: false });
    await admin.pool.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.close();
  });

  it('loads as the table owner, and leaves row-level security forced', async () => {
    const { rows: who } = await owner.pool.query(`SELECT current_user AS user, row_security_active('contacts') AS active`);
    expect(who).toEqual([{ user: role, active: true }]);
    // First into the empty table, rebuilding its indexes afterwards; then row by row beside it.
    for (const [seed, deferContactIndexesFrom] of [[1, 1], [2, 1_000_000]] as const) {
      const summary = await generateWorld(owner, { seed, people: 200 }, () => {}, { deferContactIndexesFrom });
      expect(summary.rows.contacts).toBeGreaterThan(1000);
    }
    const { rows } = await t.pool.query(`SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = 'contacts'::regclass`);
    expect(rows).toEqual([{ relrowsecurity: true, relforcerowsecurity: true }]);
  });
});

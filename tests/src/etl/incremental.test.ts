import fc from 'fast-check';
import { sql } from 'kysely';
import { createApp, type FirstmileApp } from '@firstmile/api';
import { call, createTenants, type Tenants } from '@firstmile/api/testing';
import { runEtl, type EtlRunSummary } from '@firstmile/etl';
import { createTestDatabase, pgTargets, type PreparedTarget, type TestDatabase } from '@firstmile/schema/testing';
import { describe, expect, it } from 'vitest';

/*
 * The incremental ETL must agree with a full rebuild whatever happened in between: random
 * sequences of submissions, re-submissions, CSV imports, contact batches (with re-sent
 * duplicates) and changes an admin makes with psql, with incremental runs at random points.
 * After every incremental run, and after a last one at the end, the analytics tables are
 * compared row for row with what a full rebuild makes.
 *
 * Each sequence runs in a database of its own (a clone of the migrated template), so a failure
 * shrinks to the smallest sequence and replays alone. The seed is in the test's name; replay:
 *   FIRSTMILE_FUZZ_SEED=<seed> [FIRSTMILE_FUZZ_PATH=<path>] npx vitest run tests/src/etl
 * FIRSTMILE_ETL_FUZZ_RUNS sets the number of sequences per database (25; about 0.5–1 s each).
 */
const runs = Number(process.env.FIRSTMILE_ETL_FUZZ_RUNS ?? 25);
const seed = Number(process.env.FIRSTMILE_FUZZ_SEED ?? Date.now() % 2 ** 31);
const path = process.env.FIRSTMILE_FUZZ_PATH;
/**
 * Shrinking makes a database per attempt and can take minutes: past this limit fast-check stops
 * and reports the smallest failing sequence found so far (and a run that never got this far
 * fails rather than passing on fewer sequences).
 */
const timeLimit = Math.max(240_000, runs * 6_000);

// Generated actions ------------------------------------------------------------------------------

type Org = 'A' | 'B';
const PLACES = ['DEMO-HARBOUR', 'DEMO-NORTHFIELD'] as const;
/** Quarters and a month of 2025: a few periods, so that re-submissions happen. */
const PERIODS = [['2025-01-01', '2025-03-31'], ['2025-04-01', '2025-06-30'], ['2025-05-01', '2025-05-31']] as const;
/** Few people, shared by both providers (as with a pseudonym key linking organisations). */
const PEOPLE = ['p1', 'p2', 'p3', 'p4'] as const;
/**
 * Times of day: 09:00Z, and 23:30Z, which in summer is 00:30 the next day in UK time (on the
 * last day of a month, the next month); 09:00Z + 14:30 makes 30-day gaps just over 30 days.
 */
const TIMES = ['09:00:00Z', '23:30:00Z'] as const;
const OUTCOMES = ['resolved', 'ongoing', 'referred_on', 'no_action'] as const;

interface Proportion { numerator: number; denominator: number; comparator?: Comparator }
interface Comparator { value: number; kind: string; source: string; period_start?: string; period_end?: string }
interface Figures {
  people: number;
  /** Also people_supported for one age band: stored, but not whole-population, so not in the analytics. */
  split: number | null;
  reoffending: Proportion | null;
  employment: Proportion | null;
  loneliness: number | null;
  waiting: number | null;
}
interface NewContact {
  service: 0 | 1;
  person: number;
  need: string | null;
  day: number;
  time: number;
  minutes: number;
  outcome: (typeof OUTCOMES)[number];
  cost: number | null;
  source: string | null;
}

type Action =
  | { kind: 'submit'; org: Org; period: number; figures: Figures }
  | { kind: 'importSnapshots'; org: Org; periods: Array<{ period: number; figures: Figures }> }
  | { kind: 'contacts'; org: Org; via: 'json' | 'csv' | 'ndjson'; contacts: NewContact[] }
  | { kind: 'resend'; batch: number }
  | { kind: 'unitCost'; service: number; cost: number | null }
  | { kind: 'servicePlace'; service: number }
  | { kind: 'projectPlace'; org: Org }
  | { kind: 'movePerson'; contact: number; person: number; all: boolean }
  | { kind: 'deleteContact'; contact: number }
  | { kind: 'etl' };

const org = fc.constantFrom<Org>('A', 'B');
const comparator: fc.Arbitrary<Comparator> = fc.record({
  value: fc.constantFrom(0, 0.25, 0.5, 1),
  kind: fc.constantFrom('national_average', 'baseline', 'control_group', 'target'),
  source: fc.constantFrom('MoJ proven reoffending statistics', 'Own 2024 figures'),
}).chain((c) => fc.constantFrom<Comparator>(c, { ...c, period_start: '2024-01-01', period_end: '2024-03-31' }));
/** 0 of n, n of n, 0 of 0 and everything between. */
const proportion = (withComparator: boolean): fc.Arbitrary<Proportion> =>
  fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }), withComparator ? fc.option(comparator, { nil: undefined }) : fc.constant(undefined))
    .map(([a, b, c]) => ({ numerator: Math.min(a, b), denominator: Math.max(a, b), ...(c ? { comparator: c } : {}) }));
const figures = (json: boolean): fc.Arbitrary<Figures> => fc.record({
  people: fc.integer({ min: 0, max: 120 }),
  split: json ? fc.option(fc.integer({ min: 0, max: 40 })) : fc.constant(null),
  reoffending: fc.option(proportion(true)),
  employment: fc.option(proportion(json)),
  loneliness: fc.option(fc.constantFrom(0, 0.2, 0.35, 1)),
  waiting: fc.option(fc.integer({ min: 0, max: 30 })),
});
const contact: fc.Arbitrary<NewContact> = fc.record({
  service: fc.constantFrom<0 | 1>(0, 1),
  // p4 only ever arrives by an admin's correction.
  person: fc.constantFrom(0, 0, 1, 1, 2),
  need: fc.constantFrom(null, null, null, 'housing', 'debt'),
  // Within six weeks of the batch's first day (see `batch`), 30 and 31 days apart favoured, so
  // gaps fall on both sides of the 30-day rule.
  day: fc.oneof(fc.integer({ min: 0, max: 45 }), fc.constantFrom(0, 1, 30, 31)),
  time: fc.nat({ max: TIMES.length - 1 }),
  minutes: fc.constantFrom(0, 10, 25, 60),
  outcome: fc.constantFrom(...OUTCOMES),
  // Mostly none of its own, so that the service's unit cost (which an admin may change) counts.
  cost: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(0, 12.5, 40) }),
  // A small pool of record ids: the same contact sent again is recognised and kept once.
  source: fc.option(fc.constantFrom('r1', 'r2', 'r3'), { freq: 2 }),
});

/**
 * Contacts over about six weeks from one of a few days in the first half of 2025, so that
 * batches overlap and later ones join (or split) the episodes of earlier ones. Day 119 is 30
 * April: at 23:30Z already May in the UK.
 */
const batch = (maxLength: number): fc.Arbitrary<NewContact[]> =>
  fc.tuple(fc.constantFrom(0, 25, 50, 75, 100, 119), fc.array(contact, { minLength: 1, maxLength }))
    .map(([from, contacts]) => contacts.map((c) => ({ ...c, day: from + c.day })));

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('submit' as const), org, period: fc.nat({ max: PERIODS.length - 1 }), figures: figures(true) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('importSnapshots' as const),
      org,
      periods: fc.uniqueArray(fc.record({ period: fc.nat({ max: PERIODS.length - 1 }), figures: figures(false) }), { minLength: 1, maxLength: 2, selector: (p) => p.period }),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('contacts' as const),
      org,
      via: fc.constantFrom('json' as const, 'csv' as const, 'ndjson' as const),
      contacts: batch(10),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('resend' as const), batch: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('unitCost' as const), service: fc.nat({ max: 3 }), cost: fc.constantFrom(null, 38, 40, 60) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('servicePlace' as const), service: fc.nat({ max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('projectPlace' as const), org }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('movePerson' as const), contact: fc.nat(), person: fc.nat({ max: PEOPLE.length - 1 }), all: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('deleteContact' as const), contact: fc.nat() }) },
  { weight: 5, arbitrary: fc.constant({ kind: 'etl' as const }) },
);

/** What each provider sent before the first (full) run: the state the incremental runs start from. */
const before = fc.record({ A: batch(8), B: batch(8) });
/**
 * Up to twenty actions, one at least a submission, so that something is always queued after
 * the setup's full run and the incremental path is always taken.
 */
const actions = fc.array(action, { minLength: 1, maxLength: 20 }).filter((list) => list.some((a) => a.kind === 'submit' || a.kind === 'importSnapshots'));

// Carrying the actions out ------------------------------------------------------------------------

const DAY = 86_400_000;
const START = Date.UTC(2025, 0, 1);
const SNAPSHOT_CSV_HEADER = 'period_start,period_end,metric_key,value,numerator,denominator,comparator_value,comparator_kind,comparator_source';
const CONTACT_CSV_HEADER = 'service_id,person_ref,need_ref,occurred_at,minutes,cost_gbp,channel,outcome,source_contact_id';

interface World {
  t: TestDatabase;
  app: FirstmileApp;
  tenants: Tenants;
  /** Each provider's two services: its project team and another service elsewhere. */
  services: Record<Org, [string, string]>;
  /** The first contact, never deleted nor moved, so the facts are never empty (which forces a rebuild). */
  keep: string;
  sent: Array<{ org: Org; via: 'json' | 'csv' | 'ndjson'; contacts: NewContact[] }>;
}

const project = (w: World, o: Org) => (o === 'A' ? w.tenants.ids.projectA : w.tenants.ids.projectB);
const submitter = (w: World, o: Org) => (o === 'A' ? w.tenants.keys.submitterA : w.tenants.keys.submitterB);
const allServices = (w: World) => [...w.services.A, ...w.services.B];
const otherPlace = sql`CASE place_code WHEN ${PLACES[0]} THEN ${PLACES[1]} ELSE ${PLACES[0]} END`;

function observations(f: Figures): Array<Record<string, unknown>> {
  const list: Array<Record<string, unknown>> = [{ metric_key: 'people_supported', value: f.people }];
  if (f.split !== null) list.push({ metric_key: 'people_supported', value: f.split, disaggregation: { age_band: '18-24' } });
  if (f.reoffending) list.push({ metric_key: 'reoffending_12m', ...f.reoffending });
  if (f.employment) list.push({ metric_key: 'sustained_employment', ...f.employment });
  if (f.loneliness !== null) list.push({ metric_key: 'loneliness', value: f.loneliness });
  if (f.waiting !== null) list.push({ metric_key: 'waiting_list_length', value: f.waiting });
  return list;
}

function snapshotCsv(periods: Array<{ period: number; figures: Figures }>): string {
  const lines = [SNAPSHOT_CSV_HEADER];
  for (const { period, figures: f } of periods) {
    const [start, end] = PERIODS[period]!;
    for (const o of observations(f)) {
      const c = o.comparator as Comparator | undefined;
      lines.push([start, end, o.metric_key, o.value ?? '', o.numerator ?? '', o.denominator ?? '', c?.value ?? '', c?.kind ?? '', c?.source ?? ''].join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}

function contactRecord(w: World, o: Org, c: NewContact): Record<string, string | number> {
  const at = new Date(START + c.day * DAY).toISOString().slice(0, 10);
  return {
    service_id: w.services[o][c.service],
    person_ref: PEOPLE[c.person]!,
    ...(c.need === null ? {} : { need_ref: c.need }),
    occurred_at: `${at}T${TIMES[c.time]}`,
    minutes: c.minutes,
    ...(c.cost === null ? {} : { cost_gbp: c.cost }),
    channel: 'face_to_face',
    outcome: c.outcome,
    ...(c.source === null ? {} : { source_contact_id: c.source }),
  };
}

async function sendContacts(w: World, o: Org, via: 'json' | 'csv' | 'ndjson', contacts: NewContact[]): Promise<void> {
  const records = contacts.map((c) => contactRecord(w, o, c));
  const key = submitter(w, o);
  let response;
  if (via === 'json') {
    response = await call(w.app, 'POST', '/v1/contacts', { key, body: { contacts: records } });
  } else if (via === 'ndjson') {
    response = await call(w.app, 'POST', '/v1/contacts:import', { key, raw: records.map((r) => JSON.stringify(r)).join('\n') + '\n', headers: { 'content-type': 'application/x-ndjson' } });
  } else {
    const columns = CONTACT_CSV_HEADER.split(',');
    const text = [CONTACT_CSV_HEADER, ...records.map((r) => columns.map((c) => r[c] ?? '').join(','))].join('\n') + '\n';
    response = await call(w.app, 'POST', '/v1/contacts:import', { key, raw: text, headers: { 'content-type': 'text/csv' } });
  }
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  expect(response.body).toMatchObject({ rows_received: contacts.length, rejected: 0 });
}

/** The `pick`-th contact (modulo their number) by id, leaving the first alone; null if none. */
async function pickContact(w: World, pick: number): Promise<{ id: string } | null> {
  const { rows } = await sql<{ id: string }>`
    SELECT id::text FROM contacts WHERE id <> ${w.keep} ORDER BY id
    OFFSET ${pick} % greatest((SELECT count(*) FROM contacts WHERE id <> ${w.keep}), 1) LIMIT 1`.execute(w.t.db);
  return rows[0] ?? null;
}

async function perform(w: World, a: Action, etlRuns: EtlRunSummary[]): Promise<void> {
  const db = w.t.db;
  switch (a.kind) {
    case 'submit': {
      const [period_start, period_end] = PERIODS[a.period]!;
      const response = await call(w.app, 'POST', `/v1/projects/${project(w, a.org)}/snapshots`, {
        key: submitter(w, a.org), body: { period_start, period_end, observations: observations(a.figures), stories: [] },
      });
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      return;
    }
    case 'importSnapshots': {
      const response = await call(w.app, 'POST', `/v1/projects/${project(w, a.org)}/snapshots:import`, {
        key: submitter(w, a.org), raw: snapshotCsv(a.periods), headers: { 'content-type': 'text/csv' },
      });
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      expect(response.body.rejected).toEqual([]);
      return;
    }
    case 'contacts':
      await sendContacts(w, a.org, a.via, a.contacts);
      w.sent.push({ org: a.org, via: a.via, contacts: a.contacts });
      return;
    case 'resend': {
      // A batch sent again (after a dropped connection, say): the API stores nothing twice.
      const earlier = w.sent[a.batch % Math.max(w.sent.length, 1)];
      if (earlier) await sendContacts(w, earlier.org, earlier.via, earlier.contacts);
      return;
    }
    // What an admin does with psql, through the system connection: the triggers must see it.
    case 'unitCost':
      await db.updateTable('services').set({ unit_cost_gbp_per_contact: a.cost, unit_cost_source: a.cost === null ? null : 'test figure' })
        .where('id', '=', allServices(w)[a.service]!).execute();
      return;
    // A service or project moved to the other place.
    case 'servicePlace':
      await sql`UPDATE services SET place_code = ${otherPlace} WHERE id = ${allServices(w)[a.service]!}`.execute(db);
      return;
    case 'projectPlace':
      await sql`UPDATE projects SET place_code = ${otherPlace} WHERE id = ${project(w, a.org)}`.execute(db);
      return;
    case 'movePerson': {
      // One contact recorded against the wrong person, or (all) two records of one person merged;
      // never the first contact, nor onto one already stored for that person (the natural key).
      const picked = await pickContact(w, a.contact);
      if (!picked) return;
      const which = a.all
        ? sql`c.id <> ${w.keep} AND (c.organisation_id, c.person_ref) = (SELECT organisation_id, person_ref FROM contacts WHERE id = ${picked.id})`
        : sql`c.id = ${picked.id}`;
      await sql`
        UPDATE contacts c SET person_ref = ${PEOPLE[a.person]!} WHERE ${which} AND NOT EXISTS (
          SELECT 1 FROM contacts d WHERE d.organisation_id = c.organisation_id AND d.service_id = c.service_id
            AND d.person_ref = ${PEOPLE[a.person]!} AND d.occurred_at = c.occurred_at
            AND d.source_contact_id IS NOT DISTINCT FROM c.source_contact_id)`.execute(db);
      return;
    }
    case 'deleteContact': {
      const picked = await pickContact(w, a.contact);
      if (picked) await sql`DELETE FROM contacts WHERE id = ${picked.id}`.execute(db);
      return;
    }
    case 'etl':
      etlRuns.push(await incrementalRun(w));
      await expectSameAsRebuild(w);
      return;
  }
}

/** An ordinary run: after the setup's full run, never a rebuild (or the test would prove nothing). */
async function incrementalRun(w: World): Promise<EtlRunSummary> {
  const run = await runEtl(w.t.db);
  expect(run.mode, `an ordinary run rebuilt everything: ${run.reason}`).not.toBe('full');
  return run;
}

/**
 * Each provider gets a second service in the other's place with a unit cost, so episodes cross
 * services and places; each sends its first contacts, A submits a quarter, and the first (full)
 * run follows.
 */
async function setUp(target: PreparedTarget, first: Record<Org, NewContact[]>): Promise<World> {
  const t = await createTestDatabase(target);
  try {
    const tenants = await createTenants(t.db);
    const other = async (organisation_id: string, place_code: string, cost: number) =>
      (await t.db.insertInto('services')
        .values({ organisation_id, name: 'Drop-in', kind: 'gp_practice', place_code, unit_cost_gbp_per_contact: cost, unit_cost_source: 'test figure' })
        .returning('id').executeTakeFirstOrThrow()).id;
    const w: World = {
      t,
      app: createApp({ handle: t }),
      tenants,
      services: {
        A: [tenants.ids.serviceA, await other(tenants.ids.providerA, 'DEMO-NORTHFIELD', 38)],
        B: [tenants.ids.serviceB, await other(tenants.ids.providerB, 'DEMO-HARBOUR', 60)],
      },
      keep: '',
      sent: [],
    };
    await sendContacts(w, 'A', 'json', first.A);
    await sendContacts(w, 'B', 'json', first.B);
    w.keep = (await sql<{ id: string }>`SELECT min(id)::text AS id FROM contacts`.execute(t.db)).rows[0]!.id;
    await perform(w, { kind: 'submit', org: 'A', period: 0, figures: { people: 10, split: null, reoffending: null, employment: null, loneliness: null, waiting: null } }, []);
    expect(await runEtl(t.db)).toMatchObject({ mode: 'full', reason: 'first run' });
    return w;
  } catch (error) {
    await t.drop();
    throw error;
  }
}

// Comparing --------------------------------------------------------------------------------------

/**
 * Every analytics row as JSON text, in a stable order, without the run that wrote it. Made in
 * PostgreSQL, so the 64-bit person keys stay exact (JavaScript numbers would round them).
 */
async function analytics(t: TestDatabase): Promise<Record<string, string[]>> {
  const read = async (table: string, order: string) =>
    (await sql<{ row: string }>`
      SELECT (to_jsonb(x) - 'run_id')::text AS row
      FROM ${sql.table(table)} x ORDER BY ${sql.raw(order)}`.execute(t.db)).rows.map((r) => r.row);
  return {
    outcomes: await read('analytics_outcomes', 'organisation_id, project_id, period_start, period_end, metric_key'),
    facts: await read('analytics_contact_facts', 'contact_id'),
    episodes: await read('analytics_episodes', 'episode_id'),
    services: await read('analytics_service_periods', 'organisation_id, service_id, grain, period_start'),
    places: await read('analytics_place_periods', 'place_code, grain, period_start'),
    queue: (await sql<{ n: string }>`SELECT count(*)::text AS n FROM etl_queue`.execute(t.db)).rows.map((r) => `queued ${r.n}`),
  };
}

/** The rows only one side holds, per table: empty when they agree. */
function differences(incremental: Record<string, string[]>, rebuilt: Record<string, string[]>): string[] {
  const out: string[] = [];
  for (const table of Object.keys(rebuilt)) {
    const left = new Set(incremental[table]);
    const right = new Set(rebuilt[table]);
    for (const row of left) if (!right.has(row)) out.push(`${table}, incremental only: ${row}`);
    for (const row of right) if (!left.has(row)) out.push(`${table}, full rebuild only: ${row}`);
  }
  return out;
}

/**
 * What the incremental runs left equals what a full rebuild makes. Checked after every run, not
 * only the last, so that a partition left stale and mended by a later run is caught too; the
 * rebuild leaves the same rows, so the runs after it go on as if it had not happened.
 */
async function expectSameAsRebuild(w: World): Promise<void> {
  const incremental = await analytics(w.t);
  expect(await runEtl(w.t.db, { full: true })).toMatchObject({ mode: 'full', reason: 'asked for' });
  const rebuilt = await analytics(w.t);
  expect(differences(incremental, rebuilt)).toEqual([]);
  // Same rows, and the same number of each.
  expect(incremental).toEqual(rebuilt);
}

// The property -----------------------------------------------------------------------------------

describe.each(pgTargets())('the incremental ETL on the $name PostgreSQL', (target) => {
  it(`equals a full rebuild after random submissions, re-submissions, imports and edits (${runs} sequences, seed ${seed})`, async () => {
    const reached = { incrementalRuns: 0, people: 0, projectPartitions: 0, placePartitions: 0, resubmissions: 0, repeats: 0, resolved: 0, contacts: 0 };
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(before, actions, async (first, list) => {
        const w = await setUp(target, first);
        try {
          const etlRuns: EtlRunSummary[] = [];
          for (const a of list) await perform(w, a, etlRuns);
          etlRuns.push(await incrementalRun(w));
          // Something was submitted since the setup's full run, so some run really was incremental.
          const incrementalRuns = etlRuns.filter((r) => r.mode === 'incremental');
          expect(incrementalRuns.length).toBeGreaterThan(0);
          await expectSameAsRebuild(w);

          reached.incrementalRuns += incrementalRuns.length;
          for (const r of incrementalRuns) {
            reached.people += r.people;
            reached.projectPartitions += r.projectPartitions;
            reached.placePartitions += r.placePartitions;
          }
          const { rows } = await sql<{ resubmissions: number; repeats: number; resolved: number; contacts: number }>`
            SELECT (SELECT count(*)::int FROM snapshots WHERE version > 1) AS resubmissions,
                   (SELECT count(*)::int FROM analytics_contact_facts WHERE is_repeat) AS repeats,
                   (SELECT count(*)::int FROM analytics_episodes WHERE resolved) AS resolved,
                   (SELECT count(*)::int FROM contacts) AS contacts`.execute(w.t.db);
          for (const [k, v] of Object.entries(rows[0]!)) reached[k as keyof typeof reached] += v;
        } finally {
          await w.t.drop();
        }
      }),
      { numRuns: runs, seed, ...(path ? { path } : {}), interruptAfterTimeLimit: timeLimit, markInterruptAsFailure: true },
    );
    console.info(`incremental ETL on ${target.name}: ${runs} sequences in ${((Date.now() - started) / 1000).toFixed(1)} s, seed ${seed}: ${JSON.stringify(reached)}`);
    // The sequences reached what they are for: incremental runs over people and partitions,
    // re-submissions, repeat contacts and resolved needs (a replay of one sequence need not).
    if (!path && runs >= 10) {
      for (const [what, n] of Object.entries(reached)) expect(n, what).toBeGreaterThan(0);
    }
  }, timeLimit + 60_000);
});

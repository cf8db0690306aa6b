import { sql } from 'kysely';
import { createTestDatabase, pgTargets, type TestDatabase } from '@firstmile/schema/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignEpisodes, type EpisodeContact } from '../measures/episodes.ts';
import { randomFor } from '../generate/random.ts';
import { runEtl } from './run-etl.ts';

const DAY = 86_400_000;

interface World {
  org: string;
  gp: string;
  housing: string;
  outreach: string;
}

/** One provider with three services in one place; the GP and housing services carry unit costs. */
async function smallWorld(t: TestDatabase): Promise<World> {
  const org = (await t.db.insertInto('organisations').values({ name: 'Ashbrook Partnership', kind: 'provider' }).returning('id').executeTakeFirstOrThrow()).id;
  const service = async (name: string, kind: 'gp_practice' | 'housing_options' | 'community_project', cost: number | null, place = 'DEMO-ASHBROOK') =>
    (await t.db
      .insertInto('services')
      .values({ organisation_id: org, name, kind, place_code: place, unit_cost_gbp_per_contact: cost, unit_cost_source: cost === null ? null : 'test figure' })
      .returning('id')
      .executeTakeFirstOrThrow()).id;
  return { org, gp: await service('GP', 'gp_practice', 38), housing: await service('Housing', 'housing_options', 60), outreach: await service('Outreach', 'community_project', null) };
}

type Outcome = 'resolved' | 'referred_on' | 'no_action' | 'ongoing';
interface NewContact { service: string; person: string; need?: string | null; at: string; minutes: number; outcome: Outcome; cost?: number | null; source?: string }

async function addContacts(t: TestDatabase, org: string, contacts: NewContact[]): Promise<void> {
  await t.db
    .insertInto('contacts')
    .values(contacts.map((c) => ({
      organisation_id: org, service_id: c.service, person_ref: c.person, need_ref: c.need ?? null, occurred_at: c.at,
      minutes: c.minutes, cost_gbp: c.cost ?? null, channel: 'face_to_face', outcome: c.outcome, source_contact_id: c.source ?? null,
    })))
    .execute();
}

const monthOf = (grain: string, rows: Array<{ grain: string; period_start: string }>, start: string) =>
  rows.find((r) => r.grain === grain && r.period_start === start);

describe.each(pgTargets())('the ETL on the $name PostgreSQL', (target) => {
  describe('a hand-worked place', () => {
    let t: TestDatabase;
    let w: World;

    beforeAll(async () => {
      t = await createTestDatabase(target);
      w = await smallWorld(t);
      // Person p1 (no need_ref): six 10-minute conversations at the GP through March 2025,
      // then a 30-minute one at housing on 2 April that resolves the need. One episode,
      // 7 contacts, 6 repeats, 90 minutes; cost 6 × £38 + £60 = £288.
      const p1: NewContact[] = [2, 6, 10, 14, 18, 22].map((day) => ({
        service: w.gp, person: 'p1', at: `2025-03-${String(day).padStart(2, '0')}T10:00:00Z`, minutes: 10, outcome: 'ongoing' as const,
      }));
      p1.push({ service: w.housing, person: 'p1', at: '2025-04-02T10:00:00Z', minutes: 30, outcome: 'resolved' });
      // Person p2: one thirty-minute conversation with outreach that resolves it (no unit cost,
      // but the contact carries its own £25); then, 31 days later, another that does not.
      const p2: NewContact[] = [
        { service: w.outreach, person: 'p2', at: '2025-03-01T09:00:00Z', minutes: 30, outcome: 'resolved', cost: 25 },
        { service: w.outreach, person: 'p2', at: '2025-04-01T09:00:00Z', minutes: 20, outcome: 'ongoing' },
        // 30 days on: still the same (unresolved) episode, so a repeat.
        { service: w.outreach, person: 'p2', at: '2025-05-01T09:00:00Z', minutes: 20, outcome: 'ongoing' },
        // 31 days on: more than 30 days with no contact, so a new episode.
        { service: w.outreach, person: 'p2', at: '2025-06-01T09:00:00Z', minutes: 20, outcome: 'ongoing' },
      ];
      // Person p3 with two needs interleaved: housing (two contacts, resolved) and debt (one, open).
      const p3: NewContact[] = [
        { service: w.housing, person: 'p3', need: 'housing', at: '2025-03-03T10:00:00Z', minutes: 15, outcome: 'referred_on' },
        { service: w.gp, person: 'p3', need: 'debt', at: '2025-03-04T10:00:00Z', minutes: 10, outcome: 'ongoing' },
        // Two months later, but a need_ref episode has no 30-day rule: still a repeat.
        { service: w.housing, person: 'p3', need: 'housing', at: '2025-05-05T10:00:00Z', minutes: 15, outcome: 'resolved' },
      ];
      await addContacts(t, w.org, [...p1, ...p2, ...p3]);
    });
    afterAll(() => t.drop());

    it('builds everything on its first run and records the run', async () => {
      const run = await runEtl(t.db);
      expect(run).toMatchObject({ mode: 'full', reason: 'first run', people: 3, rowsWritten: expect.any(Number) });
      const runs = await t.db.selectFrom('etl_runs').selectAll().execute();
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ id: run.runId, mode: 'full', people: 3 });
      expect(runs[0]!.finished_at.getTime()).toBeGreaterThanOrEqual(runs[0]!.started_at.getTime());
    });

    it('marks episodes and repeats as worked by hand', async () => {
      const facts = await t.db
        .selectFrom('analytics_contact_facts')
        .select(['person_ref', 'occurred_at', 'episode_id', 'is_repeat', 'cost_pence'])
        .orderBy('person_ref').orderBy('occurred_at')
        .execute();
      const repeats = (person: string) => facts.filter((f) => f.person_ref === person).map((f) => f.is_repeat);
      expect(repeats('p1')).toEqual([false, true, true, true, true, true, true]);
      // p2: resolved alone; then a new episode (after a resolution), a 30-day repeat, a 31-day new start.
      expect(repeats('p2')).toEqual([false, false, true, false]);
      // p3: housing first, debt first, housing repeat.
      expect(repeats('p3')).toEqual([false, false, true]);
      // Costs, in pence: the contact's own, else the service's, else unknown.
      expect(facts.filter((f) => f.person_ref === 'p2').map((f) => f.cost_pence)).toEqual([2500, null, null, null]);
      expect(facts.filter((f) => f.person_ref === 'p1').map((f) => f.cost_pence)).toEqual([3800, 3800, 3800, 3800, 3800, 3800, 6000]);

      // An episode's id is its first contact's, which names the person.
      const episodes = await t.db
        .selectFrom('analytics_episodes as e')
        .innerJoin('analytics_contact_facts as f', 'f.contact_id', 'e.episode_id')
        .select(['f.person_ref', 'e.resolved', 'e.contacts', 'e.minutes', 'e.cost_pence', 'e.costed_contacts', 'e.services', 'e.place_code', 'e.resolved_month_index'])
        .orderBy('f.person_ref').orderBy('e.started_at')
        .execute();
      // Months are indexed year × 12 + month − 1: April 2025 is 24303, March 24302, May 24304.
      expect(episodes.map((e) => [e.person_ref, e.resolved, e.contacts, e.minutes, e.cost_pence, e.costed_contacts, e.services, e.place_code, e.resolved_month_index])).toEqual([
        ['p1', true, 7, 90, 28800, 7, 2, 'DEMO-ASHBROOK', 24303],
        ['p2', true, 1, 30, 2500, 1, 1, 'DEMO-ASHBROOK', 24302],
        ['p2', false, 2, 40, null, 0, 1, null, null],
        ['p2', false, 1, 20, null, 0, 1, null, null],
        ['p3', true, 2, 30, 12000, 2, 1, 'DEMO-ASHBROOK', 24304],
        ['p3', false, 1, 10, 3800, 1, 1, null, null],
      ]);
    });

    it('sums part-system efficiency per service and period', async () => {
      const rows = await t.db.selectFrom('analytics_service_periods').selectAll().where('service_id', '=', w.gp).execute();
      // GP, March 2025: p1's six 10-minute contacts (5 repeats) and p3's debt contact (first):
      // 7 contacts, 2 people, 70 minutes, 7 × £38 = £266, 5 repeats.
      expect(monthOf('month', rows, '2025-03-01')).toMatchObject({
        period_end: '2025-03-31', contacts: 7, people: 2, minutes: 70, cost_gbp: 266, costed_contacts: 7, repeat_contacts: 5,
      });
      // The quarter and the year hold the same, as the GP saw nobody else.
      expect(monthOf('quarter', rows, '2025-01-01')).toMatchObject({ period_end: '2025-03-31', contacts: 7, people: 2, repeat_contacts: 5 });
      expect(monthOf('year', rows, '2025-01-01')).toMatchObject({ period_end: '2025-12-31', contacts: 7, people: 2, minutes: 70 });
      const outreach = await t.db.selectFrom('analytics_service_periods').selectAll().where('service_id', '=', w.outreach).where('grain', '=', 'year').execute();
      // Outreach 2025: p2's four contacts, 90 minutes; only the first has a cost (£25); one repeat.
      expect(outreach).toEqual([expect.objectContaining({ contacts: 4, people: 1, minutes: 90, cost_gbp: 25, costed_contacts: 1, repeat_contacts: 1 })]);
    });

    it('sums whole-system effectiveness per place, counting resolved needs over all their contacts', async () => {
      const rows = await t.db.selectFrom('analytics_place_periods').selectAll().where('place_code', '=', 'DEMO-ASHBROOK').execute();
      // April 2025: contacts p1 (housing, the 7th of its episode, so a repeat, and resolving) and
      // p2 (outreach, a new episode after a resolved one): 2 contacts, 2 people, 50 minutes,
      // £60 costed of 2, 1 repeat. Needs resolved in April: p1's, with
      // all 7 of its contacts (6 of them in March at another service): 7 contacts, 90 minutes,
      // £288, 2 services.
      expect(monthOf('month', rows, '2025-04-01')).toMatchObject({
        contacts: 2, people: 2, needs: 2, services: 2, minutes: 50, cost_gbp: 60, costed_contacts: 1, repeat_contacts: 1,
        needs_resolved: 1, resolved_contacts: 7, resolved_minutes: 90, resolved_cost_gbp: 288, resolved_costed_contacts: 7, resolved_services: 2,
      });
      // March: 6 (p1) + 1 (p2) + 2 (p3) = 9 contacts, 3 people; repeats: p1's 5. Needs: p1, p2's
      // first, p3 housing, p3 debt = 4. Resolved in March: p2's single contact (30 min, £25).
      expect(monthOf('month', rows, '2025-03-01')).toMatchObject({
        contacts: 9, people: 3, needs: 4, repeat_contacts: 5, minutes: 60 + 30 + 25, needs_resolved: 1, resolved_contacts: 1, resolved_minutes: 30, resolved_cost_gbp: 25,
      });
      // Quarter 2 (April–June): p1 once, p2 three times, p3 once: 5 contacts, of which repeats are
      // p1's April, p2's May and p3's May (p2's April and June start episodes); resolved: p1 (7
      // contacts, 90 min) and p3 housing (2 contacts, 30 min) = 2 needs, 9 contacts, 120 minutes.
      expect(monthOf('quarter', rows, '2025-04-01')).toMatchObject({
        period_end: '2025-06-30', contacts: 5, people: 3, repeat_contacts: 3, needs_resolved: 2, resolved_contacts: 9, resolved_minutes: 120, resolved_services: 3,
      });
      // June: only p2's unresolved new start; nothing resolved, so the resolved side is zero.
      expect(monthOf('month', rows, '2025-06-01')).toMatchObject({ contacts: 1, needs_resolved: 0, resolved_contacts: 0, resolved_cost_gbp: null });
    });

    it('does nothing when nothing is new', async () => {
      const before = await t.db.selectFrom('etl_runs').select('id').execute();
      const run = await runEtl(t.db);
      expect(run).toMatchObject({ mode: 'nothing', runId: null, queueEntries: 0, rowsWritten: 0 });
      expect(await t.db.selectFrom('etl_runs').select('id').execute()).toEqual(before);
    });

    it('recomputes only what a new contact changes, and agrees with a full rebuild', async () => {
      // p1 comes back on 20 May with a new problem: a new episode in May, nothing else moves.
      await addContacts(t, w.org, [{ service: w.gp, person: 'p1', at: '2025-05-20T10:00:00Z', minutes: 10, outcome: 'ongoing' }]);
      const run = await runEtl(t.db);
      expect(run).toMatchObject({ mode: 'incremental', queueEntries: 1, people: 1, projectPartitions: 0 });
      // One changed fact (the new one): the GP's May, Q2 and 2025; the place's May, Q2 and 2025.
      expect(run.servicePartitions).toBe(3);
      expect(run.placePartitions).toBe(3);
      const incremental = await snapshotOfAnalytics(t);
      await runEtl(t.db, { full: true });
      expect(await snapshotOfAnalytics(t)).toEqual(incremental);
    });

    it('follows a change of a service unit cost and of a contact moved to another person', async () => {
      await t.db.updateTable('services').set({ unit_cost_gbp_per_contact: 40 }).where('id', '=', w.gp).execute();
      await t.db.updateTable('contacts').set({ person_ref: 'p4' }).where('person_ref', '=', 'p3').where('need_ref', '=', 'debt').execute();
      const run = await runEtl(t.db);
      expect(run.mode).toBe('incremental');
      const gpMarch = await t.db.selectFrom('analytics_service_periods').select(['cost_gbp', 'people']).where('service_id', '=', w.gp).where('grain', '=', 'month').where('period_start', '=', '2025-03-01').executeTakeFirstOrThrow();
      expect(gpMarch).toEqual({ cost_gbp: 7 * 40, people: 2 });
      const incremental = await snapshotOfAnalytics(t);
      await runEtl(t.db, { full: true });
      expect(await snapshotOfAnalytics(t)).toEqual(incremental);
    });

    it("rewrites a service's rows when it joins or leaves a project, though no fact changes", async () => {
      const project = (await t.db.insertInto('projects').values({ organisation_id: w.org, name: 'Ashbrook Together', sector: 'community', place_code: 'DEMO-ASHBROOK', started_on: '2024-01-01' }).returning('id').executeTakeFirstOrThrow()).id;
      const projectsOfGpRows = async () =>
        [...new Set((await t.db.selectFrom('analytics_service_periods').select('project_id').where('service_id', '=', w.gp).execute()).map((r) => r.project_id))];
      await t.db.updateTable('services').set({ project_id: project }).where('id', '=', w.gp).execute();
      expect((await runEtl(t.db)).mode).toBe('incremental');
      // Funders see service rows through this column, so a stale one would show or hide figures.
      expect(await projectsOfGpRows()).toEqual([project]);
      await t.db.updateTable('services').set({ project_id: null }).where('id', '=', w.gp).execute();
      await runEtl(t.db);
      expect(await projectsOfGpRows()).toEqual([null]);
      const incremental = await snapshotOfAnalytics(t);
      await runEtl(t.db, { full: true });
      expect(await snapshotOfAnalytics(t)).toEqual(incremental);
    });

    it('rebuilds the unlogged facts when a crash has emptied them', async () => {
      const before = await snapshotOfAnalytics(t);
      // What crash recovery does to UNLOGGED tables: they come back empty.
      await sql`TRUNCATE analytics_contact_facts, analytics_episodes, analytics_unlogged_witness`.execute(t.db);
      const run = await runEtl(t.db);
      expect(run).toMatchObject({ mode: 'full', reason: 'contact facts lost (unlogged tables are emptied after a crash)' });
      expect(await snapshotOfAnalytics(t)).toEqual(before);
    });

    it('rebuilds everything when the episode gap setting changes', async () => {
      const run = await runEtl(t.db, { settings: { episodeGapDays: 45 } });
      expect(run).toMatchObject({ mode: 'full', reason: 'settings changed' });
      // With 45 days, p2's 31-day gap no longer starts an episode.
      const p2 = await t.db.selectFrom('analytics_contact_facts').select('is_repeat').where('person_ref', '=', 'p2').orderBy('occurred_at').execute();
      expect(p2.map((f) => f.is_repeat)).toEqual([false, false, true, true]);
      expect((await runEtl(t.db, { settings: { episodeGapDays: 45 } })).mode).toBe('nothing');
    });
  });

  it('agrees with the reference implementation of episodes on random contacts', async () => {
    const t = await createTestDatabase(target);
    try {
      const w = await smallWorld(t);
      const rng = randomFor(20261123, 'etl-oracle');
      const random = () => rng.float();
      const services = [w.gp, w.housing, w.outreach];
      const outcomes: Outcome[] = ['resolved', 'referred_on', 'no_action', 'ongoing'];
      const start = Date.UTC(2024, 0, 1);
      const contacts: NewContact[] = [];
      for (let i = 0; i < 1500; i++) {
        // Few people and few instants, so ties, gaps near 30 days and shared needs all happen.
        const dayOffset = Math.floor(random() * 200);
        contacts.push({
          service: services[Math.floor(random() * 3)]!,
          person: `p${Math.floor(random() * 60)}`,
          need: random() < 0.4 ? `n${Math.floor(random() * 3)}` : null,
          at: new Date(start + dayOffset * DAY + (random() < 0.5 ? 0 : 3_600_000)).toISOString(),
          minutes: 1 + Math.floor(random() * 60),
          outcome: outcomes[Math.floor(random() * (random() < 0.5 ? 4 : 1))]!,
          // Its own record id, so two contacts at one instant are two contacts.
          source: `r${i}`,
        });
      }
      await addContacts(t, w.org, contacts);
      await runEtl(t.db);
      const stored = await t.db.selectFrom('contacts').select(['id', 'person_ref', 'need_ref', 'occurred_at', 'outcome']).execute();
      const expected = assignEpisodes(stored.map((c): EpisodeContact => ({ ...c, occurred_at: c.occurred_at.getTime() })));
      const facts = await t.db.selectFrom('analytics_contact_facts').select(['contact_id', 'episode_id', 'is_repeat']).execute();
      expect(facts).toHaveLength(1500);
      const mismatches = facts.filter((f) => {
        const e = expected.get(f.contact_id);
        return e?.episode_id !== f.episode_id || e.is_repeat !== f.is_repeat;
      });
      expect(mismatches).toEqual([]);
      // And the oracle's repeats are not all one kind, so the comparison means something.
      const repeatCount = facts.filter((f) => f.is_repeat).length;
      expect(repeatCount).toBeGreaterThan(300);
      expect(repeatCount).toBeLessThan(1400);
    } finally {
      await t.drop();
    }
  });
});

/** Every analytics row, in a stable order, without the run that wrote it. */
export async function snapshotOfAnalytics(t: Pick<TestDatabase, 'db'>): Promise<Record<string, unknown[]>> {
  const strip = <T extends Record<string, unknown>>(rows: T[]) => rows.map(({ run_id: _run, ...rest }) => rest);
  return {
    outcomes: strip(await t.db.selectFrom('analytics_outcomes').selectAll().orderBy(['project_id', 'period_start', 'period_end', 'metric_key']).execute()),
    // person_key is a 64-bit hash, beyond exact JavaScript numbers: compared as text.
    facts: (await sql`SELECT to_jsonb(f) || jsonb_build_object('person_key', f.person_key::text) AS row FROM analytics_contact_facts f ORDER BY contact_id`.execute(t.db)).rows,
    episodes: (await sql`SELECT to_jsonb(e) || jsonb_build_object('person_key', e.person_key::text) AS row FROM analytics_episodes e ORDER BY episode_id`.execute(t.db)).rows,
    services: strip(await t.db.selectFrom('analytics_service_periods').selectAll().orderBy(['service_id', 'grain', 'period_start']).execute()),
    places: strip(await t.db.selectFrom('analytics_place_periods').selectAll().orderBy(['place_code', 'grain', 'period_start']).execute()),
    queue: (await sql<{ n: number }>`SELECT count(*)::int AS n FROM etl_queue`.execute(t.db)).rows,
  };
}

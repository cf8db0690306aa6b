import { createTestDatabase, pgTargets, type TestDatabase } from '@firstmile/schema/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EtlRunSummary } from './run-etl.ts';
import { startEtlWorker, type EtlWorker } from './worker.ts';

/** Polls until `check` holds or the time is up; the worker runs on notifications, not on a clock. */
async function eventually(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(pgTargets())('the ETL worker on the $name PostgreSQL', (target) => {
  let t: TestDatabase;
  let worker: EtlWorker;
  const runs: EtlRunSummary[] = [];
  let org: string;
  let service: string;

  beforeAll(async () => {
    t = await createTestDatabase(target);
    org = (await t.db.insertInto('organisations').values({ name: 'Westmere Talk', kind: 'provider' }).returning('id').executeTakeFirstOrThrow()).id;
    service = (await t.db.insertInto('services').values({ organisation_id: org, name: 'Drop-in', kind: 'community_project', place_code: 'DEMO-WESTMERE' }).returning('id').executeTakeFirstOrThrow()).id;
    worker = await startEtlWorker(t, { debounceMs: 20, onRun: (run) => runs.push(run) });
  });
  afterAll(async () => {
    await worker.stop();
    await t.drop();
  });

  it('builds the tables at start, then follows new contacts by itself', async () => {
    await eventually(async () => runs.length >= 1);
    expect(runs[0]).toMatchObject({ mode: 'full', reason: 'first run' });
    await t.db.insertInto('contacts').values([
      { organisation_id: org, service_id: service, person_ref: 'w1', occurred_at: '2025-06-02T10:00:00Z', minutes: 20, channel: 'phone', outcome: 'ongoing' },
      { organisation_id: org, service_id: service, person_ref: 'w1', occurred_at: '2025-06-09T10:00:00Z', minutes: 20, channel: 'phone', outcome: 'resolved' },
    ]).execute();
    // Nobody calls runEtl: the trigger's NOTIFY wakes the worker.
    await eventually(async () => (await t.db.selectFrom('analytics_place_periods').select('contacts').where('grain', '=', 'month').execute()).length === 1);
    const row = await t.db.selectFrom('analytics_place_periods').selectAll().where('grain', '=', 'month').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ place_code: 'DEMO-WESTMERE', period_start: '2025-06-01', contacts: 2, repeat_contacts: 1, needs_resolved: 1, resolved_minutes: 40 });
    expect(runs.at(-1)).toMatchObject({ mode: 'incremental', people: 1 });
    await worker.idle();
    expect(await t.db.selectFrom('etl_queue').select('id').execute()).toEqual([]);
  });

  it('makes one run of a burst of writes, not one per write', async () => {
    const before = runs.length;
    for (let i = 0; i < 5; i++) {
      await t.db.insertInto('contacts').values({ organisation_id: org, service_id: service, person_ref: `b${i}`, occurred_at: '2025-07-01T10:00:00Z', minutes: 5, channel: 'online', outcome: 'no_action' }).execute();
    }
    await eventually(async () => (await t.db.selectFrom('etl_queue').select('id').execute()).length === 0 && runs.length > before);
    await worker.idle();
    expect(runs.length - before).toBeLessThanOrEqual(2);
    const july = await t.db.selectFrom('analytics_place_periods').select(['contacts', 'people']).where('grain', '=', 'month').where('period_start', '=', '2025-07-01').executeTakeFirstOrThrow();
    expect(july).toEqual({ contacts: 5, people: 5 });
  });
});

import { sql, type Kysely, type Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.ts';
import { createTestDatabase, pgTargets, type TestDatabase } from '../testing/index.ts';

/** Runs `work` the way a request does: as firstmile_app, with the caller's organisation and role. */
async function asCaller<T>(db: Kysely<Database>, organisationId: string | null, role: string | null, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`SET LOCAL ROLE firstmile_app`.execute(trx);
    await sql`SELECT set_config('app.organisation_id', ${organisationId ?? ''}, true), set_config('app.role', ${role ?? ''}, true)`.execute(trx);
    return work(trx);
  });
}

describe.each(pgTargets())('row-level security on the $name PostgreSQL', (target) => {
  let t: TestDatabase;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestDatabase(target);
    const orgs = await t.db
      .insertInto('organisations')
      .values([
        { name: 'Provider A', kind: 'provider' },
        { name: 'Provider B', kind: 'provider' },
        { name: 'Funder F', kind: 'funder' },
      ])
      .returning(['id', 'name'])
      .execute();
    ids.a = orgs[0]!.id;
    ids.b = orgs[1]!.id;
    ids.f = orgs[2]!.id;
    for (const [key, org] of [['projectA', ids.a], ['projectB', ids.b]] as const) {
      ids[key] = (
        await t.db
          .insertInto('projects')
          .values({ organisation_id: org, name: key, sector: 'community', place_code: 'DEMO-X', started_on: '2024-01-01' })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    }
    // F funds B's project for 2024 only.
    await t.db
      .insertInto('funding')
      .values({ organisation_id: ids.b, project_id: ids.projectB!, funder_id: ids.f, from_date: '2024-01-01', to_date: '2024-12-31', amount_gbp: 50000 })
      .execute();
    for (const [start, end] of [['2024-04-01', '2024-06-30'], ['2025-04-01', '2025-06-30']]) {
      await t.db
        .insertInto('snapshots')
        .values({ organisation_id: ids.b, project_id: ids.projectB!, period_start: start!, period_end: end!, version: 1, submitted_via: 'cli' })
        .execute();
    }
  });
  afterAll(() => t.drop());

  it('shows a provider its own projects only', async () => {
    const names = await asCaller(t.db, ids.a!, 'submitter', (trx) => trx.selectFrom('projects').select('name').execute());
    expect(names).toEqual([{ name: 'projectA' }]);
  });

  it('shows nothing to a connection that has not said who it is', async () => {
    const rows = await asCaller(t.db, null, null, (trx) => trx.selectFrom('projects').select('name').execute());
    expect(rows).toEqual([]);
  });

  it('does not let the request role claim to be the system', async () => {
    const rows = await asCaller(t.db, null, 'system', (trx) => trx.selectFrom('projects').select('name').execute());
    expect(rows).toEqual([]);
  });

  it('refuses to write into another organisation', async () => {
    const attempt = asCaller(t.db, ids.a!, 'submitter', (trx) =>
      trx.insertInto('projects').values({ organisation_id: ids.b!, name: 'intruder', sector: 'other', place_code: 'X', started_on: '2024-01-01' }).execute(),
    );
    // Refused either by the policy or, first, by the kind check that cannot see B at all.
    await expect(attempt).rejects.toThrow(/row-level security policy|must belong to an organisation of kind provider, not none/);
    const stored = await t.db.selectFrom('projects').select('name').where('name', '=', 'intruder').execute();
    expect(stored).toEqual([]);
  });

  it('refuses a service written into another organisation, by policy', async () => {
    const attempt = asCaller(t.db, ids.a!, 'submitter', (trx) =>
      trx.insertInto('services').values({ organisation_id: ids.b!, name: 'intruder', kind: 'other', place_code: 'X' }).execute(),
    );
    await expect(attempt).rejects.toThrow('new row violates row-level security policy for table "services"');
  });

  it('shows a funder the projects it funds, and their snapshots for the funded dates only', async () => {
    const view = await asCaller(t.db, ids.f!, 'funder', async (trx) => ({
      projects: await trx.selectFrom('projects').select('name').execute(),
      periods: await trx.selectFrom('snapshots').select('period_start').execute(),
      organisations: (await trx.selectFrom('organisations').select('name').orderBy('name').execute()).map((o) => o.name),
    }));
    expect(view.projects).toEqual([{ name: 'projectB' }]);
    expect(view.periods).toEqual([{ period_start: '2024-04-01' }]);
    expect(view.organisations).toEqual(['Funder F', 'Provider B']);
  });

  it('leaves the audit log unchangeable even for its own organisation', async () => {
    await asCaller(t.db, ids.a!, 'submitter', (trx) =>
      trx.insertInto('audit_log').values({ organisation_id: ids.a!, actor_organisation_id: ids.a!, action: 'x.read', entity: 'x' }).execute(),
    );
    const attempt = asCaller(t.db, ids.a!, 'admin', (trx) => trx.deleteFrom('audit_log').execute());
    await expect(attempt).rejects.toThrow(/permission denied/);
  });
});

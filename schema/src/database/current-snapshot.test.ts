import { sql, type Kysely, type Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.ts';
import { createTestDatabase, pgTargets, type TestDatabase } from '../testing/index.ts';

async function asCaller<T>(db: Kysely<Database>, organisationId: string, role: string, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`SET LOCAL ROLE firstmile_app`.execute(trx);
    await sql`SELECT set_config('app.organisation_id', ${organisationId}, true), set_config('app.role', ${role}, true)`.execute(trx);
    return work(trx);
  });
}

describe.each(pgTargets())('firstmile_snapshot_is_current on the $name PostgreSQL', (target) => {
  let t: TestDatabase;
  let a: string;
  let b: string;
  let old: string;
  let current: string;

  beforeAll(async () => {
    t = await createTestDatabase(target);
    const orgs = await t.db.insertInto('organisations').values([{ name: 'A', kind: 'provider' }, { name: 'B', kind: 'provider' }]).returning('id').execute();
    a = orgs[0]!.id;
    b = orgs[1]!.id;
    const project = await t.db.insertInto('projects').values({ organisation_id: b, name: 'P', sector: 'community', place_code: 'X', started_on: '2024-01-01' }).returning('id').executeTakeFirstOrThrow();
    const snapshot = (version: number, status: 'current' | 'superseded') =>
      t.db.insertInto('snapshots').values({ organisation_id: b, project_id: project.id, period_start: '2025-01-01', period_end: '2025-03-31', version, status, submitted_via: 'cli' }).returning('id').executeTakeFirstOrThrow();
    old = (await snapshot(1, 'superseded')).id;
    current = (await snapshot(2, 'current')).id;
  });
  afterAll(() => t.drop());

  it("tells another organisation's request whether a snapshot is current, and nothing else", async () => {
    const answers = await asCaller(t.db, a, 'submitter', async (trx) => {
      const { rows } = await sql<{ old: boolean; current: boolean; wrong_org: boolean }>`
        SELECT firstmile_snapshot_is_current(${b}, ${old}) AS old,
               firstmile_snapshot_is_current(${b}, ${current}) AS current,
               firstmile_snapshot_is_current(${a}, ${current}) AS wrong_org
      `.execute(trx);
      const visible = await trx.selectFrom('snapshots').select('id').execute();
      const role = await sql<{ role: string | null }>`SELECT current_setting('app.role', true) AS role`.execute(trx);
      return { ...rows[0], visible, role: role.rows[0]?.role };
    });
    // The snapshots themselves stay hidden, and the caller's role is back as it was.
    expect(answers).toEqual({ old: false, current: true, wrong_org: false, visible: [], role: 'submitter' });
  });
});

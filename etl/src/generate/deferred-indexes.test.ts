import { createTestDatabase, pgTargets, type TestDatabase } from '@firstmile/schema/testing';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secondaryIndexes, withIndexesDeferred } from './deferred-indexes.ts';

describe.each(pgTargets())('withIndexesDeferred on the $name PostgreSQL', (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(target);
  });
  afterAll(() => t?.drop());

  async function inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await t.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  it('finds the contacts table\'s unique key, foreign key and plain indexes, but not its primary key', async () => {
    const found = await inTransaction((client) => secondaryIndexes(client, 'contacts'));
    expect(found.create).toEqual([
      'ALTER TABLE contacts ADD CONSTRAINT contacts_natural_key UNIQUE NULLS NOT DISTINCT (organisation_id, service_id, person_ref, occurred_at, source_contact_id)',
      'CREATE INDEX contacts_by_person ON public.contacts USING btree (person_ref, occurred_at)',
      'CREATE INDEX contacts_by_service ON public.contacts USING btree (organisation_id, service_id, occurred_at)',
      'ALTER TABLE contacts ADD CONSTRAINT contacts_organisation_id_service_id_fkey FOREIGN KEY (organisation_id, service_id) REFERENCES services(organisation_id, id)',
    ]);
    expect(found.drop).toHaveLength(found.create.length);
  });

  it('takes them off for the work and puts the same ones back', async () => {
    const before = await inTransaction((client) => secondaryIndexes(client, 'contacts'));
    const during = await inTransaction((client) => withIndexesDeferred(client, 'contacts', () => secondaryIndexes(client, 'contacts')));
    expect(during).toEqual({ drop: [], create: [] });
    expect(await inTransaction((client) => secondaryIndexes(client, 'contacts'))).toEqual(before);
  });

  it('still refuses rows the constraints forbid, and then leaves the table as it was', async () => {
    const before = await inTransaction((client) => secondaryIndexes(client, 'contacts'));
    const duplicate = `INSERT INTO contacts (organisation_id, service_id, person_ref, occurred_at, minutes, channel, outcome)
      VALUES ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', 'p', '2024-04-01T09:00Z', 10, 'phone', 'resolved')`;
    await expect(inTransaction((client) => withIndexesDeferred(client, 'contacts', async () => {
      await client.query(duplicate);
      await client.query(duplicate);
    }))).rejects.toThrow(/contacts_natural_key/);
    expect(await inTransaction((client) => secondaryIndexes(client, 'contacts'))).toEqual(before);
    const { rows } = await t.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM contacts');
    expect(rows[0]?.n).toBe(0);
  });
});

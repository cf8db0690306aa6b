import { createTestDatabase, pgTargets, type TestDatabase } from '@firstmile/schema/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorForKey, createTenants, testPseudonymiser, type Tenants } from '../../testing/index.ts';
import type { Actor } from '../../http/env.ts';
import { UnreadableInputError } from '../errors.ts';
import { ContactImportRefused, importContacts, type ContactImportProgress } from './import.ts';
import type { RawContactRow } from './rows.ts';

/** Both ways in: straight from parameters (small uploads) and through COPY and the staging table. */
const paths = [
  { name: 'inserted from parameters', smallUploadRows: 1000 },
  { name: 'staged with COPY', smallUploadRows: 0 },
];

describe.each(pgTargets().flatMap((target) => paths.map((path) => ({ target, ...path, targetName: target.name }))))(
  'importContacts on the $targetName PostgreSQL, $name',
  ({ target, smallUploadRows }) => {
    let t: TestDatabase;
    let w: Tenants;
    let actor: Actor;
    const pseudonymiser = testPseudonymiser();
    const good = (n: number, overrides: Record<string, unknown> = {}) => ({
      service_id: w.ids.serviceA, person_id: `CASE-${n}`, occurred_at: '2026-03-01T09:30:00Z', minutes: 20, channel: 'phone', outcome: 'ongoing', ...overrides,
    });
    const rowsOf = (list: unknown[]): RawContactRow[] => list.map((fields, i) => ({ line: i + 2, fields }));
    const run = (rows: AsyncIterable<RawContactRow> | Iterable<RawContactRow>, more: { atomic?: boolean; onProgress?: (p: ContactImportProgress) => void; rowLevelSecurity?: boolean } = {}) =>
      importContacts({ pool: t.pool, actor, pseudonymiser, rows, atomic: more.atomic ?? false, format: 'csv', smallUploadRows, ...more });
    const count = async () => Number((await t.db.selectFrom('contacts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const auditCount = async () => (await t.db.selectFrom('audit_log').select('id').where('action', '=', 'contacts.import').execute()).length;

    beforeAll(async () => {
      t = await createTestDatabase(target);
      w = await createTenants(t.db);
      actor = await actorForKey(t.db, w.keys.submitterA);
    });
    afterAll(() => t.drop());

    it('stores good rows once, reports bad ones, and counts repeats as duplicates', async () => {
      const rows: RawContactRow[] = [
        ...rowsOf([good(1), good(2, { minutes: -1 }), good(1), good(3, { service_id: w.ids.serviceB })]),
        { line: 6, unreadable: [{ field: '', reason: 'is not valid JSON' }] },
        ...rowsOf([good(4, { need_ref: 'tab\there', source_contact_id: 'back\\slash\nnewline' })]).map((r) => ({ ...r, line: 7 })),
      ];
      const progress: ContactImportProgress[] = [];
      expect(await run(rows, { onProgress: (p) => progress.push(p) })).toEqual({
        rows_received: 6,
        accepted: 2,
        duplicates: 1,
        rejected: 3,
        rejections: [
          { line: 3, field: 'minutes', reason: 'must not be negative' },
          { line: 5, field: 'service_id', reason: 'is not a service of your organisation' },
          { line: 6, field: '', reason: 'is not valid JSON' },
        ],
      });
      expect(progress.at(-1)).toEqual({ rows: 6, rejected: 3 });
      const stored = await t.db.selectFrom('contacts').select(['person_ref', 'need_ref', 'source_contact_id']).orderBy('id').execute();
      expect(stored).toEqual([
        { person_ref: pseudonymiser.forOrganisation(w.ids.providerA)('CASE-1'), need_ref: null, source_contact_id: null },
        { person_ref: pseudonymiser.forOrganisation(w.ids.providerA)('CASE-4'), need_ref: 'tab\there', source_contact_id: 'back\\slash\nnewline' },
      ]);
      expect(await run(rows)).toMatchObject({ rows_received: 6, accepted: 0, duplicates: 3, rejected: 3 });
      expect(await count()).toBe(2);
    });

    it('with atomic stores nothing when a row is bad, and says so with the counts', async () => {
      const before = { contacts: await count(), audits: await auditCount() };
      const refused = await run(rowsOf([good(10), good(11, { channel: 'fax' }), good(12)]), { atomic: true }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ContactImportRefused);
      expect((refused as ContactImportRefused).report).toMatchObject({ rows_received: 3, accepted: 0, duplicates: 0, rejected: 1 });
      expect((refused as ContactImportRefused).problems).toEqual([{ path: 'lines[3].channel', message: 'Invalid option: expected one of "face_to_face"|"phone"|"online"|"home_visit"|"other"' }]);
      expect({ contacts: await count(), audits: await auditCount() }).toEqual(before);
    });

    it('stores nothing, and keeps the pool healthy, when the source fails part-way', async () => {
      const before = await count();
      async function* failing(): AsyncGenerator<RawContactRow> {
        for (let i = 0; i < 2500; i++) yield { line: i + 2, fields: good(100 + i) };
        throw new UnreadableInputError('the upload ended before it was complete');
      }
      await expect(run(failing())).rejects.toThrow(UnreadableInputError);
      expect(await count()).toBe(before);
      // Every client of the pool still works (a broken one was thrown away, not reused).
      await Promise.all(Array.from({ length: 4 }, () => t.pool.query('SELECT 1')));
      expect(await run(rowsOf([good(99)]))).toMatchObject({ accepted: 1 });
    });

    it('streams a large source, for the command line too (no API key), with or without row-level security', async () => {
      async function* many(): AsyncGenerator<RawContactRow> {
        for (let i = 0; i < 5000; i++) yield { line: i + 2, fields: good(10_000 + i, { source_contact_id: `s-${i}` }) };
      }
      const cli = { organisationId: w.ids.providerA, role: 'submitter' as const, keyId: null };
      const report = await importContacts({ pool: t.pool, actor: cli, pseudonymiser, rows: many(), atomic: true, format: 'csv', smallUploadRows });
      expect(report).toMatchObject({ rows_received: 5000, accepted: 5000, rejected: 0 });
      const audit = await t.db.selectFrom('audit_log').select(['actor_key_id', 'actor_role', 'details']).where('action', '=', 'contacts.import').orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(audit).toEqual({ actor_key_id: null, actor_role: 'submitter', details: { format: 'csv', atomic: true, rows_received: 5000, accepted: 5000, duplicates: 0, rejected: 0 } });
      expect(await run(many(), { rowLevelSecurity: false })).toMatchObject({ accepted: 0, duplicates: 5000 });
    });
  },
);

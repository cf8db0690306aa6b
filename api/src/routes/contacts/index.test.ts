import { Int32, Table, TimestampMillisecond, Utf8, tableToIPC, vectorFromArray } from 'apache-arrow';
import { createTestDatabase, pgTargets, type TestDatabase } from '@firstmile/schema/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type FirstmileApp } from '../../app.ts';
import { asTenant } from '../../testing/tenant-transaction.ts';
import { call, createTenants, testPseudonymiser, type CallResult, type Tenants } from '../../testing/index.ts';

const HEADER = 'service_id,person_id,person_ref,need_ref,occurred_at,minutes,cost_gbp,channel,outcome,source_contact_id';
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n') + '\n';
const ndjson = (...rows: Array<unknown>) => rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';
const CHANNELS = 'Invalid option: expected one of "face_to_face"|"phone"|"online"|"home_visit"|"other"';

describe.each(pgTargets())('contacts on the $name PostgreSQL', (target) => {
  let t: TestDatabase;
  let app: FirstmileApp;
  let w: Tenants;
  let archivedService: string;
  const pseudonyms = testPseudonymiser();
  const refOf = (organisationId: string, personId: string) => pseudonyms.forOrganisation(organisationId)(personId);

  const send = async (path: string, body: string | Uint8Array, contentType: string, key = w.keys.submitterA, on = app): Promise<Omit<CallResult, 'headers'>> => {
    const response = await on.request(path, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': contentType }, body });
    return { status: response.status, body: await response.json() };
  };
  const importCsv = (text: string, query = '', key = w.keys.submitterA, on = app) => send(`/v1/contacts:import${query}`, text, 'text/csv', key, on);
  const batch = (contacts: unknown[], query = '', key = w.keys.submitterA, on = app) => call(on, 'POST', `/v1/contacts${query}`, { key, body: { contacts } });
  const contact = (overrides: Record<string, unknown> = {}) => ({
    service_id: w.ids.serviceA, occurred_at: '2026-03-01T09:30:00Z', minutes: 20, channel: 'phone', outcome: 'ongoing', ...overrides,
  });
  const storedFor = (organisationId: string) =>
    t.db.selectFrom('contacts').select(['person_ref', 'need_ref', 'occurred_at', 'minutes', 'cost_gbp', 'channel', 'outcome', 'source_contact_id'])
      .where('organisation_id', '=', organisationId).orderBy('id').execute();
  const count = async () => Number((await t.db.selectFrom('contacts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const audits = () => t.db.selectFrom('audit_log').select(['organisation_id', 'actor_role', 'details']).where('action', '=', 'contacts.import').orderBy('id').execute();

  beforeAll(async () => {
    t = await createTestDatabase(target);
    app = createApp({ handle: t, pseudonymiser: testPseudonymiser() });
    w = await createTenants(t.db);
    archivedService = (await t.db.insertInto('services').values({ organisation_id: w.ids.providerA, name: 'Old drop-in', kind: 'other', place_code: 'DEMO-HARBOUR', archived_at: new Date() })
      .returning('id').executeTakeFirstOrThrow()).id;
  });
  afterAll(() => t.drop());

  it('documents both routes, routes only the literal contacts:import, and lets only submitters and admins in', async () => {
    const doc = await call(app, 'GET', '/openapi.json');
    const batchBody = doc.body.paths['/v1/contacts'].post.requestBody.content['application/json'].schema;
    expect(batchBody.properties.contacts).toMatchObject({ maxItems: 10_000, items: { required: expect.arrayContaining(['service_id', 'occurred_at']) } });
    expect(Object.keys(batchBody.properties.contacts.items.properties)).toEqual(expect.arrayContaining(['person_id', 'person_ref', 'source_contact_id']));
    expect(Object.keys(doc.body.paths['/v1/contacts:import'].post.requestBody.content)).toEqual(['text/csv', 'application/x-ndjson', 'application/vnd.apache.arrow.stream']);
    for (const path of ['/v1/contactsimport', '/v1/contacts:export', '/v1/contacts:importx']) {
      expect((await send(path, csv(), 'text/csv')).status, path).toBe(404);
    }
    for (const key of [w.keys.analystA, w.keys.funder, w.keys.commissioner]) {
      expect((await importCsv(csv(), '', key)).body.error.code).toBe('forbidden');
      expect((await batch([contact()], '', key)).status).toBe(403);
    }
  });

  it('stores the good rows of a mixed CSV, pseudonymised, and reports the bad ones by line, field and reason', async () => {
    const text = csv(
      `${w.ids.serviceA},CASE-1,,need-1,2026-01-05T09:00:00Z,30,38,face_to_face,resolved,crm-1`, // 2
      `${w.ids.serviceA},,p-2,,2026-01-05T10:00:00+01:00,10,,phone,ongoing,`, // 3
      `${w.ids.serviceA},CASE-3,p-3,,2026-01-05T10:00:00Z,10,,phone,ongoing,`, // 4: both person fields
      `${w.ids.serviceA},CASE-4,,,2026-01-05T10:00:00,10,,phone,ongoing,`, // 5: no offset
      `${w.ids.serviceB},CASE-5,,,2026-01-05T10:00:00Z,10,,phone,ongoing,`, // 6: B's service
      `${w.ids.serviceA},CASE-6,,,2026-01-05T10:00:00Z,1441,,phone,ongoing,`, // 7: more than a day
      `${w.ids.serviceA},CASE-1,,need-1,2026-01-05T09:00:00Z,30,38,face_to_face,resolved,crm-1`, // 8: line 2 again
      `${w.ids.serviceA},CASE-8,`, // 9: too few fields
      `${w.ids.serviceA},CASE-9,,,2026-01-05T10:00:00Z,10,,letter,ongoing,`, // 10: unknown channel
      `${archivedService},CASE-10,,,2026-01-05T10:00:00Z,10,,phone,ongoing,`, // 11: archived service
    );
    const response = await importCsv(text);
    expect(response).toEqual({
      status: 200,
      body: {
        rows_received: 10,
        accepted: 2,
        duplicates: 1,
        rejected: 7,
        rejections: [
          { line: 4, field: 'person_ref', reason: 'give person_id or person_ref, not both' },
          { line: 5, field: 'occurred_at', reason: 'must be an ISO 8601 timestamp with seconds and an offset, e.g. 2026-03-01T09:30:00Z' },
          { line: 6, field: 'service_id', reason: 'is not a service of your organisation' },
          { line: 7, field: 'minutes', reason: 'must be at most 1440 (one day)' },
          { line: 9, field: '', reason: 'has 3 fields; the header has 10' },
          { line: 10, field: 'channel', reason: CHANNELS },
          { line: 11, field: 'service_id', reason: 'the service is archived and takes no new contacts' },
        ],
      },
    });
    expect(await storedFor(w.ids.providerA)).toEqual([
      { person_ref: refOf(w.ids.providerA, 'CASE-1'), need_ref: 'need-1', occurred_at: new Date('2026-01-05T09:00:00Z'), minutes: 30, cost_gbp: 38, channel: 'face_to_face', outcome: 'resolved', source_contact_id: 'crm-1' },
      { person_ref: 'p-2', need_ref: null, occurred_at: new Date('2026-01-05T09:00:00Z'), minutes: 10, cost_gbp: null, channel: 'phone', outcome: 'ongoing', source_contact_id: null },
    ]);
    expect(refOf(w.ids.providerA, 'CASE-1')).toMatch(/^h1:[A-Za-z0-9_-]{43}$/);
    expect((await audits()).at(-1)).toEqual({
      organisation_id: w.ids.providerA,
      actor_role: 'submitter',
      details: { format: 'csv', atomic: false, rows_received: 10, accepted: 2, duplicates: 1, rejected: 7 },
    });

    // The same file again stores nothing twice: every good row is now a duplicate.
    const again = await importCsv(text);
    expect(again.body).toMatchObject({ rows_received: 10, accepted: 0, duplicates: 3, rejected: 7 });
    expect(await storedFor(w.ids.providerA)).toHaveLength(2);
  });

  it('reads NDJSON, one contact a line, reporting lines that are not contacts', async () => {
    const before = await count();
    const response = await send('/v1/contacts:import', ndjson(
      contact({ person_id: 'CASE-20', source_contact_id: 'nd-1' }), // 1
      '', // 2: blank
      '{"service_id": ', // 3
      contact({ person_id: 'CASE-21', nhs_number: '943 476 5919' }), // 4
      [contact({ person_id: 'CASE-22' })], // 5
      contact({ person_id: 'CASE-23', cost_gbp: 12.345 }), // 6
      contact({ person_ref: 'p-24', need_ref: 'n\t1' }), // 7
    ), 'application/x-ndjson; charset=utf-8');
    expect(response).toEqual({
      status: 200,
      body: {
        rows_received: 6,
        accepted: 2,
        duplicates: 0,
        rejected: 4,
        rejections: [
          { line: 3, field: '', reason: 'is not valid JSON' },
          { line: 4, field: 'nhs_number', reason: 'unknown field' },
          { line: 5, field: '', reason: 'must be a JSON object, one contact a line' },
          { line: 6, field: 'cost_gbp', reason: 'must have at most 2 decimal places (whole pence)' },
        ],
      },
    });
    expect(await count()).toBe(before + 2);
    const tabbed = await t.db.selectFrom('contacts').select('need_ref').where('person_ref', '=', 'p-24').executeTakeFirstOrThrow();
    expect(tabbed.need_ref).toBe('n\t1');
  });

  it('reads an Arrow IPC stream, reporting rows by number', async () => {
    const rows = [
      { service: w.ids.serviceA, person: 'CASE-30', minutes: 15 },
      { service: w.ids.serviceA, person: 'CASE-31', minutes: -5 },
      { service: w.ids.serviceB, person: 'CASE-32', minutes: 15 },
      { service: w.ids.serviceA.toUpperCase(), person: 'CASE-33', minutes: 0 },
    ];
    const table = new Table({
      service_id: vectorFromArray(rows.map((r) => r.service), new Utf8()),
      person_id: vectorFromArray(rows.map((r) => r.person), new Utf8()),
      occurred_at: vectorFromArray(rows.map((_, i) => new Date(Date.UTC(2026, 1, 1, 9, i))), new TimestampMillisecond('UTC')),
      minutes: vectorFromArray(rows.map((r) => r.minutes), new Int32()),
      channel: vectorFromArray(rows.map(() => 'home_visit'), new Utf8()),
      outcome: vectorFromArray(rows.map(() => 'referred_on'), new Utf8()),
    });
    const bytes = tableToIPC(table, 'stream');
    const response = await send('/v1/contacts:import', bytes, 'application/vnd.apache.arrow.stream');
    expect(response).toEqual({
      status: 200,
      body: {
        rows_received: 4,
        accepted: 2,
        duplicates: 0,
        rejected: 2,
        rejections: [
          { line: 2, field: 'minutes', reason: 'must not be negative' },
          { line: 3, field: 'service_id', reason: 'is not a service of your organisation' },
        ],
      },
    });
    const stored = await t.db.selectFrom('contacts').select(['person_ref', 'occurred_at', 'channel']).where('person_ref', 'in', [refOf(w.ids.providerA, 'CASE-30'), refOf(w.ids.providerA, 'CASE-33')]).orderBy('occurred_at').execute();
    expect(stored).toEqual([
      { person_ref: refOf(w.ids.providerA, 'CASE-30'), occurred_at: new Date('2026-02-01T09:00:00Z'), channel: 'home_visit' },
      { person_ref: refOf(w.ids.providerA, 'CASE-33'), occurred_at: new Date('2026-02-01T09:03:00Z'), channel: 'home_visit' },
    ]);
    // Sent again, as after a dropped connection: all duplicates.
    expect((await send('/v1/contacts:import', bytes, 'application/vnd.apache.arrow.stream')).body).toMatchObject({ accepted: 0, duplicates: 2, rejected: 2 });
  });

  it('takes a JSON batch through the same checks; a retried batch stores nothing twice', async () => {
    const contacts = [
      contact({ person_id: 'CASE-40', source_contact_id: 'b-1' }),
      contact({ person_id: 'CASE-41', minutes: 12.5 }),
      contact({ person_ref: 'p-42', cost_gbp: 19.99 }),
      'not a contact',
    ];
    const first = await batch(contacts);
    expect(first).toMatchObject({
      status: 200,
      body: {
        rows_received: 4,
        accepted: 2,
        duplicates: 0,
        rejected: 2,
        rejections: [
          { line: 2, field: 'minutes', reason: 'must be a whole number' },
          { line: 4, field: '', reason: 'Invalid input: expected object, received string' },
        ],
      },
    });
    const retry = await batch(contacts);
    expect(retry.body).toMatchObject({ rows_received: 4, accepted: 0, duplicates: 2, rejected: 2 });
    expect(await t.db.selectFrom('contacts').select('id').where('person_ref', 'in', [refOf(w.ids.providerA, 'CASE-40'), 'p-42']).execute()).toHaveLength(2);
    expect((await audits()).at(-1)!.details).toEqual({ format: 'json', atomic: false, rows_received: 4, accepted: 0, duplicates: 2, rejected: 2 });

    // The envelope is checked whole: 1 to 10,000 contacts, nothing else.
    expect((await batch([])).body.error.details).toEqual([{ path: 'contacts', message: 'must hold at least one contact' }]);
    expect((await call(app, 'POST', '/v1/contacts', { key: w.keys.submitterA, body: { contacts: [contact({ person_ref: 'x' })], extra: 1 } })).status).toBe(422);
    expect((await batch(Array.from({ length: 10_001 }, () => ({})))).body.error.details).toEqual([
      { path: 'contacts', message: 'must hold at most 10000 contacts; use /v1/contacts:import for more' },
    ]);
  });

  it('with atomic=true stores nothing when one row is bad, and answers 422 with the rejections', async () => {
    const before = { contacts: await count(), audits: (await audits()).length };
    const text = csv(
      `${w.ids.serviceA},CASE-50,,,2026-04-01T09:00:00Z,30,,phone,ongoing,`,
      `${w.ids.serviceA},CASE-51,,,2026-04-01T09:00:00Z,-1,,phone,ongoing,`,
      `${w.ids.serviceA},CASE-52,,,2026-04-01T09:00:00Z,30,,phone,ongoing,`,
    );
    const refused = await importCsv(text, '?atomic=true');
    expect(refused).toEqual({
      status: 422,
      body: {
        error: {
          code: 'validation_failed',
          message: '1 of 3 rows were rejected; with atomic=true nothing was stored',
          details: [{ path: 'lines[3].minutes', message: 'must not be negative' }],
        },
      },
    });
    const refusedBatch = await batch([contact({ person_id: 'CASE-53' }), contact({ person_id: 'CASE-54', channel: 'fax' })], '?atomic=true');
    expect(refusedBatch.status).toBe(422);
    expect(refusedBatch.body.error.details).toEqual([{ path: 'contacts[1].channel', message: CHANNELS }]);
    expect({ contacts: await count(), audits: (await audits()).length }).toEqual(before);

    const good = await importCsv(csv(`${w.ids.serviceA},CASE-50,,,2026-04-01T09:00:00Z,30,,phone,ongoing,`), '?atomic=true');
    expect(good.body).toMatchObject({ accepted: 1, rejected: 0 });
    expect((await audits()).at(-1)!.details).toMatchObject({ atomic: true, accepted: 1 });
    expect((await importCsv(csv(), '?atomic=yes')).body.error.details).toEqual([{ path: 'atomic', message: 'must be true or false' }]);
  });

  it("refuses contacts for another organisation's services, and never shows one organisation's contacts to another", async () => {
    // B stores a contact; A sends the very same row, naming B's service.
    const row = `${w.ids.serviceB},,p-shared,,2026-05-01T09:00:00Z,30,,phone,ongoing,src-1`;
    expect((await importCsv(csv(row), '', w.keys.submitterB)).body).toMatchObject({ accepted: 1 });
    const fromA = await importCsv(csv(row));
    // Not "duplicate", which would tell A the contact exists: refused, and nothing stored.
    expect(fromA).toEqual({
      status: 422,
      body: { error: { code: 'validation_failed', message: 'none of the 1 rows could be accepted; nothing was stored', details: [{ path: 'lines[2].service_id', message: 'is not a service of your organisation' }] } },
    });
    const seenByA = await asTenant(t.db, { organisationId: w.ids.providerA, role: 'submitter' }, (trx) => trx.selectFrom('contacts').select(['organisation_id', 'person_ref']).execute());
    expect(seenByA.length).toBeGreaterThan(0);
    expect(seenByA.every((c) => c.organisation_id === w.ids.providerA)).toBe(true);
    expect(seenByA.map((c) => c.person_ref)).not.toContain('p-shared');
  });

  it('gives the same raw identifier different pseudonyms in two organisations, and one when linking is configured', async () => {
    const row = (service: string) => csv(`${service},NHS 943 476 5919,,,2026-06-01T09:00:00Z,30,,phone,ongoing,`);
    await importCsv(row(w.ids.serviceA));
    await importCsv(row(w.ids.serviceB), '', w.keys.submitterB);
    const refs = async () => (await t.db.selectFrom('contacts').select(['organisation_id', 'person_ref']).where('occurred_at', '=', new Date('2026-06-01T09:00:00Z')).orderBy('id').execute());
    const separate = await refs();
    expect(separate.map((r) => r.organisation_id)).toEqual([w.ids.providerA, w.ids.providerB]);
    expect(separate[0]!.person_ref).not.toBe(separate[1]!.person_ref);

    const linking = createApp({ handle: t, pseudonymiser: testPseudonymiser({ linkAcrossOrganisations: true }) });
    const linkedRow = (service: string) => csv(`${service},NHS 943 476 5919,,,2026-06-02T09:00:00Z,30,,phone,ongoing,`);
    await importCsv(linkedRow(w.ids.serviceA), '', w.keys.submitterA, linking);
    await importCsv(linkedRow(w.ids.serviceB), '', w.keys.submitterB, linking);
    const linked = await t.db.selectFrom('contacts').select('person_ref').where('occurred_at', '=', new Date('2026-06-02T09:00:00Z')).execute();
    expect(linked).toHaveLength(2);
    expect(linked[0]!.person_ref).toBe(linked[1]!.person_ref);
    expect(linked[0]!.person_ref).not.toBe(separate[0]!.person_ref);
  });

  it('without a pseudonym key refuses raw identifiers with a clear reason, and still takes pseudonyms', async () => {
    const keyless = createApp({ handle: t });
    const raw = await importCsv(csv(`${w.ids.serviceA},CASE-60,,,2026-07-01T09:00:00Z,30,,phone,ongoing,`), '', w.keys.submitterA, keyless);
    expect(raw.status).toBe(422);
    expect(raw.body.error.details).toEqual([
      { path: 'lines[2].person_id', message: 'this deployment has no pseudonym key, so raw identifiers are refused; send your own pseudonym as person_ref' },
    ]);
    const own = await importCsv(csv(`${w.ids.serviceA},,p-60,,2026-07-01T09:00:00Z,30,,phone,ongoing,`), '', w.keys.submitterA, keyless);
    expect(own.body).toMatchObject({ accepted: 1, rejected: 0 });
  });

  it('answers 415 for other media types, 400 for a body not in its format, 422 for an unusable header or an empty upload', async () => {
    for (const type of ['text/plain', 'constructor', '__proto__', 'toString']) {
      expect((await send('/v1/contacts:import', csv(), type)).status, type).toBe(415);
    }
    expect((await send('/v1/contacts:import', '{}', 'application/json')).status).toBe(415);
    expect((await send('/v1/contacts:import', csv(), 'text/csv; charset=latin1')).status).toBe(415);
    const notUtf8 = await send('/v1/contacts:import', new Uint8Array([...Buffer.from(`${HEADER}\n`), 0xe9, 0x0a]), 'text/csv');
    expect(notUtf8).toEqual({ status: 400, body: { error: { code: 'bad_request', message: 'the upload is not UTF-8 text; send it as UTF-8' } } });
    expect((await send('/v1/contacts:import', csv('a,b'), 'application/x-ndjson')).body.error).toEqual({
      code: 'bad_request',
      message: 'the body is not NDJSON: no line of it is a JSON object',
    });
    const notArrow = await send('/v1/contacts:import', csv(), 'application/vnd.apache.arrow.stream');
    expect(notArrow.status).toBe(400);
    expect(notArrow.body.error.message).toMatch(/^the body is not an Arrow IPC stream/);
    const header = await importCsv('service_id,person,when\n');
    expect(header.status).toBe(422);
    expect(header.body.error.details[0].path).toBe('lines[1]');
    expect((await importCsv(csv())).body.error).toEqual({ code: 'validation_failed', message: 'the upload holds no contacts', details: [{ path: '', message: 'the upload holds no contacts' }] });
    expect((await importCsv('')).status).toBe(422);
  });

  it('streams an upload in pieces as it arrives, and keeps counting lines across them', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `${w.ids.serviceA},,stream-${i},,2026-08-01T09:00:00Z,${i === 15_000 ? 'x' : 5},,online,ongoing,`);
    const bytes = Buffer.from(csv(...rows));
    let pieces = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const start = pieces * 4096;
        if (start >= bytes.length) return controller.close();
        controller.enqueue(bytes.subarray(start, start + 4096));
        pieces++;
      },
    });
    const response = await app.request('/v1/contacts:import', {
      method: 'POST',
      headers: { authorization: `Bearer ${w.keys.submitterA}`, 'content-type': 'text/csv' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(await response.json()).toEqual({
      rows_received: 20_000, accepted: 19_999, duplicates: 0, rejected: 1,
      rejections: [{ line: 15_002, field: 'minutes', reason: 'must be a whole number' }],
    });
    expect(pieces).toBeGreaterThan(100);
  });
});

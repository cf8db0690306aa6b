import { runEtl } from '@firstmile/etl';
import { SystemBody } from '@firstmile/schema';
import { createTestDatabase, pgTargets, type TestDatabase } from '@firstmile/schema/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type FirstmileApp } from '../../app.ts';
import { call, createTenants, type Tenants } from '../../testing/index.ts';

// Contacts, as the providers sent them through POST /v1/contacts:
//
// B's service (DEMO-NORTHFIELD; part of B's project, which the funder funds for 2024–2025)
//   March 2024  person b-1: six 10-minute 'ongoing' conversations at £12.50, then a 30-minute
//               one at £37.50 that resolves the need (the worked example in DESIGN)
//   April 2024  22 people with one 15-minute conversation each that resolves their need;
//               20 of them cost £20, two were not costed
// A's service (DEMO-HARBOUR)
//   March 2024  person a-1: two 20-minute 'ongoing' conversations and a 40-minute 'resolved' one

type Row = Record<string, any>;

describe.each(pgTargets())('GET /v1/system on the $name PostgreSQL', (target) => {
  let t: TestDatabase;
  let app: FirstmileApp;
  let plain: FirstmileApp;
  let w: Tenants;

  const get = async (key: string, query: string) => {
    const withRls = await call(app, 'GET', `/v1/system?${query}`, { key });
    const without = await call(plain, 'GET', `/v1/system?${query}`, { key });
    expect([without.status, without.body], `${query} without row-level security`).toEqual([withRls.status, withRls.body]);
    return withRls;
  };
  const system = async (key: string, query: string): Promise<Row[]> => {
    const response = await get(key, query);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return SystemBody.parse(response.body).system;
  };
  const one = (rows: Row[], where: Row): Row => {
    const found = rows.filter((r) => Object.entries(where).every(([k, v]) => r[k] === v));
    expect(found, JSON.stringify(where)).toHaveLength(1);
    return found[0]!;
  };
  const send = async (key: string, contacts: unknown[]) => {
    const response = await call(app, 'POST', '/v1/contacts', { key, body: { contacts } });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.accepted).toBe(contacts.length);
  };

  beforeAll(async () => {
    t = await createTestDatabase(target);
    app = createApp({ handle: t });
    plain = createApp({ handle: t, rowLevelSecurity: false });
    w = await createTenants(t.db);
    const contact = (service_id: string, person_ref: string, occurred_at: string, minutes: number, outcome: string, cost_gbp?: number) => ({
      service_id, person_ref, occurred_at, minutes, channel: 'face_to_face', outcome, ...(cost_gbp === undefined ? {} : { cost_gbp }),
    });
    const march = ['04', '06', '08', '11', '13', '15'].map((day) => contact(w.ids.serviceB, 'b-1', `2024-03-${day}T10:00:00Z`, 10, 'ongoing', 12.5));
    await send(w.keys.submitterB, [
      ...march,
      contact(w.ids.serviceB, 'b-1', '2024-03-18T10:00:00Z', 30, 'resolved', 37.5),
      ...Array.from({ length: 22 }, (_, i) => contact(w.ids.serviceB, `b-april-${i}`, `2024-04-${String(2 + (i % 20)).padStart(2, '0')}T10:00:00Z`, 15, 'resolved', i < 20 ? 20 : undefined)),
    ]);
    await send(w.keys.submitterA, [
      contact(w.ids.serviceA, 'a-1', '2024-03-05T09:00:00Z', 20, 'ongoing'),
      contact(w.ids.serviceA, 'a-1', '2024-03-12T09:00:00Z', 20, 'ongoing'),
      contact(w.ids.serviceA, 'a-1', '2024-03-19T09:00:00Z', 40, 'resolved'),
    ]);
    await runEtl(t.db);
  });
  afterAll(() => t.drop());

  it('shows the owner part- and whole-system figures for the worked example, exactly', async () => {
    const rows = await system(w.keys.submitterB, 'from=2024-03-01&to=2024-03-31');
    expect(rows.map((r) => [r.level, r.place_code, r.period_start, r.period_end])).toEqual([
      ['service', 'DEMO-NORTHFIELD', '2024-03-01', '2024-03-31'],
      ['place', 'DEMO-NORTHFIELD', '2024-03-01', '2024-03-31'],
    ]);
    // 7 contacts, 6 of them repeats; 6 × 10 + 30 = 90 minutes; 6 × £12.50 + £37.50 = £112.50.
    // Per contact: 90 / 7 = 12.857 minutes and £112.50 / 7 = £16.07 — efficient-looking;
    // per resolved need: 7 contacts, 90 minutes, £112.50, one service.
    const service = rows[0]!;
    expect(service).toMatchObject({
      level: 'service', service_id: w.ids.serviceB, grain: 'month', contacts: 7, people: 1, minutes: 90, cost_gbp: 112.5, costed_contacts: 7,
      repeat_contacts: 6, needs: null, needs_resolved: null, contacts_per_resolved_need: null, flags: [], suppressed_fields: [],
    });
    expect(service.minutes_per_contact).toBeCloseTo(12.857143, 6);
    expect(service.cost_per_contact).toBeCloseTo(16.071429, 6);
    expect(service.repeat_share).toBeCloseTo(6 / 7, 12);
    // The place mixes every organisation's contacts, so even B sees it protected: 7 and 6 are withheld,
    // 1 need is withheld, and every ratio over them; minutes and money are sums and stay.
    expect(rows[1]).toMatchObject({
      level: 'place', service_id: null, contacts: null, people: null, needs: null, needs_resolved: null, repeat_contacts: null, costed_contacts: null,
      minutes: 90, cost_gbp: 112.5, minutes_per_contact: null, cost_per_contact: null, repeat_share: null,
      contacts_per_resolved_need: null, minutes_per_resolved_need: null, cost_per_resolved_need: null, services_per_need: null,
      suppressed_fields: [
        'contacts', 'people', 'costed_contacts', 'repeat_contacts', 'needs', 'needs_resolved', 'cost_per_contact', 'minutes_per_contact',
        'repeat_share', 'contacts_per_resolved_need', 'minutes_per_resolved_need', 'cost_per_resolved_need', 'services_per_need',
      ],
    });
    // The admin sees the place exactly: 90 minutes per resolved need, 7 contacts, one service.
    const place = one(await system(w.keys.admin, 'place=DEMO-NORTHFIELD&from=2024-03-01&to=2024-03-31'), {});
    expect(place).toMatchObject({
      level: 'place', contacts: 7, people: 1, needs: 1, needs_resolved: 1, repeat_contacts: 6,
      contacts_per_resolved_need: 7, minutes_per_resolved_need: 90, cost_per_resolved_need: 112.5, services_per_need: 1, suppressed_fields: [],
    });
  });

  it('shows one thirty-minute conversation that resolves the need as 30 minutes per need, and flags uncosted contacts', async () => {
    const [service, place] = await system(w.keys.admin, 'place=DEMO-NORTHFIELD&level=service&from=2024-04-01&to=2024-04-30')
      .then(async (s) => [one(s, {}), one(await system(w.keys.admin, 'place=DEMO-NORTHFIELD&from=2024-04-01&to=2024-04-30'), {})]);
    // 22 contacts of 15 minutes = 330 minutes, 20 costed at £20 = £400: cost per contact £400 / 20 = £20.
    expect(service).toMatchObject({ contacts: 22, people: 22, minutes: 330, cost_gbp: 400, costed_contacts: 20, cost_per_contact: 20, minutes_per_contact: 15, repeat_contacts: 0, repeat_share: 0, flags: ['cost_incomplete'] });
    // 22 needs, each resolved in one 15-minute contact; two have no cost, so no cost per need.
    expect(place).toMatchObject({
      needs: 22, needs_resolved: 22, contacts_per_resolved_need: 1, minutes_per_resolved_need: 15, cost_per_resolved_need: null, services_per_need: 1,
      flags: ['cost_incomplete', 'resolved_cost_incomplete'], suppressed_fields: [],
    });
  });

  it('shows a commissioner its place only, with counts rounded and ratios recomputed from the rounded counts', async () => {
    const rows = await system(w.keys.commissioner, 'grain=month');
    expect(new Set(rows.map((r) => r.place_code))).toEqual(new Set(['DEMO-NORTHFIELD']));
    const april = one(rows, { level: 'service', period_start: '2024-04-01' });
    // 22 → 20 contacts and people, 20 costed → 20; 0 repeats stay 0.
    // minutes per contact 330 / 20 = 16.5; cost per contact £400 / 20 = £20; repeat share 0 / 20 = 0.
    expect(april).toMatchObject({ contacts: 20, people: 20, costed_contacts: 20, repeat_contacts: 0, minutes: 330, minutes_per_contact: 16.5, cost_per_contact: 20, repeat_share: 0, suppressed_fields: [] });
    const place = one(rows, { level: 'place', period_start: '2024-04-01' });
    // 22 → 20 needs resolved and 20 of their contacts: 1 contact and 330 / 20 = 16.5 minutes per need.
    expect(place).toMatchObject({ needs: 20, needs_resolved: 20, contacts_per_resolved_need: 1, minutes_per_resolved_need: 16.5, services_per_need: 1, cost_per_resolved_need: null });
    // The year: 29 contacts → 30, 23 people → 25, 27 costed → 25, 6 repeats withheld.
    // minutes 90 + 330 = 420: 420 / 30 = 14 per contact; £512.50 / 25 = £20.50 per costed contact.
    const year = one(await system(w.keys.commissioner, 'grain=year&level=service'), {});
    expect(year).toMatchObject({
      period_start: '2024-01-01', period_end: '2024-12-31', contacts: 30, people: 25, costed_contacts: 25, repeat_contacts: null,
      minutes: 420, cost_gbp: 512.5, minutes_per_contact: 14, cost_per_contact: 20.5, repeat_share: null, suppressed_fields: ['repeat_contacts', 'repeat_share'],
    });
    // A's service elsewhere: not found.
    expect((await get(w.keys.commissioner, `service=${w.ids.serviceA}`)).status).toBe(404);
    // Quarter grain: Q1 holds March, Q2 April.
    expect((await system(w.keys.commissioner, 'grain=quarter&level=place')).map((r) => [r.period_start, r.period_end, r.minutes])).toEqual([
      ['2024-01-01', '2024-03-31', 90], ['2024-04-01', '2024-06-30', 330],
    ]);
  });

  it('shows a funder the place of the project it funds, protected, and nothing elsewhere', async () => {
    const rows = (await call(plain, 'GET', '/v1/system?level=place', { key: w.keys.funder })).body.system as Row[];
    expect(await system(w.keys.funder, 'level=place')).toEqual(rows);
    expect(rows.map((r) => [r.place_code, r.period_start, r.contacts])).toEqual([['DEMO-NORTHFIELD', '2024-03-01', null], ['DEMO-NORTHFIELD', '2024-04-01', 20]]);
    expect((await get(w.keys.funder, `service=${w.ids.serviceA}`)).status).toBe(404);
  });

  it('shows a funder the service of the project it funds, for the funded periods, protected', async () => {
    const rows = await system(w.keys.funder, 'level=service');
    expect(rows.map((r) => [r.service_id, r.period_start])).toEqual([[w.ids.serviceB, '2024-03-01'], [w.ids.serviceB, '2024-04-01']]);
    expect(rows[0]).toMatchObject({ contacts: null, minutes: 90, minutes_per_contact: null });
    expect(rows[1]).toMatchObject({ contacts: 20, minutes_per_contact: 16.5 });
  });

  it("gives a funder the service rows of a project it funds through the application's own wall", async () => {
    const rows = (await call(plain, 'GET', '/v1/system?level=service', { key: w.keys.funder })).body.system as Row[];
    expect(rows.map((r) => [r.service_id, r.period_start])).toEqual([[w.ids.serviceB, '2024-03-01'], [w.ids.serviceB, '2024-04-01']]);
    expect(rows[0]).toMatchObject({ contacts: null, minutes: 90, minutes_per_contact: null, suppressed_fields: ['contacts', 'people', 'costed_contacts', 'repeat_contacts', 'cost_per_contact', 'minutes_per_contact', 'repeat_share'] });
    expect(rows[1]).toMatchObject({ contacts: 20, minutes_per_contact: 16.5 });
  });

  it("shows another provider its own service exactly, its place protected, and nothing of B's", async () => {
    for (const key of [w.keys.analystA, w.keys.submitterA]) {
      const rows = await system(key, '');
      expect(rows.map((r) => [r.level, r.place_code])).toEqual([['service', 'DEMO-HARBOUR'], ['place', 'DEMO-HARBOUR']]);
      // 3 contacts, 2 repeats, 80 minutes: exact for its own service; withheld at the place.
      expect(rows[0]).toMatchObject({ service_id: w.ids.serviceA, contacts: 3, repeat_contacts: 2, minutes: 80, cost_gbp: null, cost_per_contact: null, flags: ['cost_incomplete'], suppressed_fields: [] });
      expect(rows[1]).toMatchObject({ contacts: null, needs_resolved: null, minutes: 80 });
      const asked = await get(key, `service=${w.ids.serviceB}`);
      expect(asked.status).toBe(404);
      expect(await system(key, 'place=DEMO-NORTHFIELD')).toEqual([]);
    }
  });

  it('chooses levels: place alone for place=, both for service= (with the service\'s place), as asked with level=', async () => {
    expect((await system(w.keys.admin, 'place=DEMO-NORTHFIELD')).map((r) => r.level)).toEqual(['place', 'place']);
    expect((await system(w.keys.admin, `service=${w.ids.serviceB}`)).map((r) => [r.level, r.place_code])).toEqual([
      ['service', 'DEMO-NORTHFIELD'], ['service', 'DEMO-NORTHFIELD'], ['place', 'DEMO-NORTHFIELD'], ['place', 'DEMO-NORTHFIELD'],
    ]);
    expect((await system(w.keys.admin, 'level=service&grain=year')).map((r) => r.service_id).sort()).toEqual([w.ids.serviceA, w.ids.serviceB].sort());
    const all = await system(w.keys.admin, 'grain=year');
    expect(all.map((r) => [r.level, r.place_code, r.contacts])).toEqual([
      ['service', 'DEMO-HARBOUR', 3], ['service', 'DEMO-NORTHFIELD', 29], ['place', 'DEMO-HARBOUR', 3], ['place', 'DEMO-NORTHFIELD', 29],
    ]);
  });

  it('refuses bad parameters with 422 naming each field', async () => {
    const response = await get(w.keys.commissioner, `grain=day&level=person&service=x&from=2024-02-30&project=${w.ids.projectB}`);
    expect(response.status).toBe(422);
    expect(response.body.error.details.map((d: { path: string }) => d.path)).toEqual(['service', 'from', 'grain', 'level', 'project']);
    expect((await get(w.keys.admin, `service=${w.ids.serviceB}&level=place`)).body.error.details).toEqual([
      { path: 'service', message: 'filters service rows; it cannot be used with level=place' },
    ]);
  });
});

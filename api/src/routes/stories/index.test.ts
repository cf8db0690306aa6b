import { sql } from 'kysely';
import { createTestDatabase, pgTargets, type TestDatabase } from '@firstmile/schema/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type FirstmileApp } from '../../app.ts';
import { call, createTenants, type Tenants } from '../../testing/index.ts';

type Scope = 'internal' | 'funders' | 'public';

/** A story whose title says what it is, so the assertions read as the consent rules. */
function story(title: string, scope: Scope, options: { withheld?: boolean; body?: string; themes?: string[]; linked_metrics?: string[] } = {}) {
  return {
    title,
    body: options.body ?? 'We met every week at the same table; nobody had to start again.',
    themes: options.themes ?? ['continuity'],
    linked_metrics: options.linked_metrics ?? ['repeat_conversations'],
    storyteller_role: 'person',
    consent: options.withheld ? { status: 'withheld', scope: 'internal' } : { status: 'given', scope, recorded_on: '2025-02-01' },
    anonymised: false,
  };
}

const titles = (body: { stories: Array<{ title: string }> }) => body.stories.map((s) => s.title).sort();

describe.each(pgTargets())('stories on the $name PostgreSQL', (target) => {
  let t: TestDatabase;
  let app: FirstmileApp;
  let w: Tenants;
  /** Story ids by title. */
  const ids: Record<string, string> = {};

  const submit = async (key: string, projectId: string, period_start: string, period_end: string, stories: unknown[]) => {
    const response = await call(app, 'POST', `/v1/projects/${projectId}/snapshots`, {
      key,
      body: { period_start, period_end, observations: [{ metric_key: 'people_supported', value: 20 }], stories },
    });
    expect(response.status).toBe(201);
    for (const s of response.body.stories as Array<{ id: string; title: string }>) ids[s.title] = s.id;
    return response.body;
  };
  const read = (key: string, query = '') => call(app, 'GET', `/v1/stories${query}`, { key });

  beforeAll(async () => {
    t = await createTestDatabase(target);
    app = createApp({ handle: t });
    w = await createTenants(t.db);
    // B's project: 2025 is funded, 2026 is not.
    await submit(w.keys.submitterB, w.ids.projectB, '2025-01-01', '2025-03-31', [
      story('B internal', 'internal'),
      story('B funders', 'funders', { themes: ['trust'], linked_metrics: ['reoffending_12m'] }),
      story('B public', 'public', { themes: ['trust', 'belonging'] }),
      story('B withheld', 'internal', { withheld: true }),
      story('B funders with an email', 'funders', { body: 'Write to jo.bloggs@example.org if you want to know more.' }),
      story('B public with a postcode', 'public', { body: 'She lives near SW1A 1AA and walks over every Tuesday.' }),
    ]);
    await submit(w.keys.submitterB, w.ids.projectB, '2026-01-01', '2026-03-31', [
      story('B funders 2026', 'funders'),
      story('B public 2026', 'public'),
    ]);
    await submit(w.keys.submitterA, w.ids.projectA, '2025-01-01', '2025-03-31', [
      story('A internal', 'internal'),
      story('A public', 'public'),
    ]);
  });
  afterAll(() => t.drop());

  it("gives the owning organisation all of its stories, withheld and flagged ones included, with their flags", async () => {
    const asB = await read(w.keys.submitterB);
    expect(asB.status).toBe(200);
    expect(titles(asB.body)).toEqual([
      'A public', 'B funders', 'B funders 2026', 'B funders with an email', 'B internal', 'B public', 'B public 2026',
      'B public with a postcode', 'B withheld',
    ]);
    const flagged = asB.body.stories.filter((s: { pii_flags: string[] }) => s.pii_flags.length > 0);
    expect(flagged.map((s: { title: string; pii_flags: string[] }) => [s.title, s.pii_flags]).sort()).toEqual([
      ['B funders with an email', ['email']],
      ['B public with a postcode', ['postcode']],
    ]);
  });

  it('shows a funder the funders and public stories of the periods it funds, and public stories elsewhere', async () => {
    const asFunder = await read(w.keys.funder);
    expect(titles(asFunder.body)).toEqual(['A public', 'B funders', 'B public', 'B public 2026']);
  });

  it('shows another provider and a commissioner only public, unflagged stories', async () => {
    expect(titles((await read(w.keys.submitterA)).body)).toEqual([
      'A internal', 'A public', 'B public', 'B public 2026',
    ]);
    expect(titles((await read(w.keys.commissioner)).body)).toEqual(['A public', 'B public', 'B public 2026']);
  });

  it('agrees with row-level security, the second wall, which alone would show the same stories', async () => {
    const underRls = (organisationId: string, role: string) =>
      t.db.transaction().execute(async (trx) => {
        await sql`SET LOCAL ROLE firstmile_app`.execute(trx);
        await sql`SELECT set_config('app.organisation_id', ${organisationId}, true), set_config('app.role', ${role}, true)`.execute(trx);
        return (await trx.selectFrom('stories').select('title').execute()).map((r) => r.title).sort();
      });
    expect(await underRls(w.ids.funder, 'funder')).toEqual(titles((await read(w.keys.funder)).body));
    expect(await underRls(w.ids.providerA, 'submitter')).toEqual(titles((await read(w.keys.submitterA)).body));
    expect(await underRls(w.ids.commissioner, 'commissioner')).toEqual(titles((await read(w.keys.commissioner)).body));
  });

  it('filters by project, linked metric and theme, and names a bad filter', async () => {
    expect(titles((await read(w.keys.funder, `?project=${w.ids.projectB}`)).body)).toEqual(['B funders', 'B public', 'B public 2026']);
    expect(titles((await read(w.keys.funder, '?metric=reoffending_12m')).body)).toEqual(['B funders']);
    expect(titles((await read(w.keys.funder, '?theme=trust')).body)).toEqual(['B funders', 'B public']);
    expect(titles((await read(w.keys.funder, `?theme=trust&project=${w.ids.projectA}`)).body)).toEqual([]);
    const bad = await read(w.keys.funder, '?theme=Trust&colour=red');
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['colour', 'theme']);
  });

  it('records every read of stories in the audit log: who, and which stories', async () => {
    const before = await t.db.selectFrom('audit_log').select('id').where('action', '=', 'story.read').execute();
    await read(w.keys.funder, `?project=${w.ids.projectB}`);
    const rows = await t.db
      .selectFrom('audit_log')
      .select(['organisation_id', 'actor_organisation_id', 'actor_role', 'entity', 'details'])
      .where('action', '=', 'story.read')
      .where('id', 'not in', before.length > 0 ? before.map((r) => r.id) : [0])
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ organisation_id: w.ids.providerB, actor_organisation_id: w.ids.funder, actor_role: 'funder', entity: 'story' });
    const details = rows[0]!.details as { route: string; count: number; story_ids: string[]; filters: unknown };
    expect(details.route).toBe('GET /v1/stories');
    expect(details.filters).toEqual({ project: w.ids.projectB });
    expect(details.count).toBe(3);
    expect([...details.story_ids].sort()).toEqual([ids['B funders'], ids['B public'], ids['B public 2026']].sort());

    // A read across organisations leaves one record per organisation whose stories were read,
    // and a read that found nothing still leaves one.
    const earlier = (await t.db.selectFrom('audit_log').select('id').where('action', '=', 'story.read').execute()).length;
    await read(w.keys.commissioner);
    const across = await t.db.selectFrom('audit_log').select(['organisation_id', 'details']).where('action', '=', 'story.read').orderBy('id').execute();
    const counts = across.slice(earlier).map((r) => [r.organisation_id, (r.details as { count: number }).count]);
    expect(counts).toHaveLength(2);
    expect(counts).toEqual(expect.arrayContaining([[w.ids.providerB, 2], [w.ids.providerA, 1]]));
    await read(w.keys.commissioner, '?theme=nothing-here');
    const empty = await t.db.selectFrom('audit_log').select(['organisation_id', 'actor_role', 'details']).where('action', '=', 'story.read').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(empty).toMatchObject({ organisation_id: w.ids.commissioner, actor_role: 'commissioner', details: { count: 0, story_ids: [], filters: { theme: 'nothing-here' } } });
  });

  it("filters the stories inside a funder's snapshot listing the same way, and audits that read too", async () => {
    const before = (await t.db.selectFrom('audit_log').select('id').where('action', '=', 'story.read').execute()).length;
    const listed = await call(app, 'GET', `/v1/projects/${w.ids.projectB}/snapshots`, { key: w.keys.funder });
    expect(listed.status).toBe(200);
    expect(listed.body.snapshots.map((s: { period_start: string }) => s.period_start)).toEqual(['2025-01-01']);
    expect(titles(listed.body.snapshots[0])).toEqual(['B funders', 'B public']);
    const after = await t.db.selectFrom('audit_log').select('details').where('action', '=', 'story.read').orderBy('id').execute();
    expect(after.slice(before).map((r) => (r.details as { route: string; count: number })).map((d) => [d.route, d.count])).toEqual([
      ['GET /v1/projects/{projectId}/snapshots', 2],
    ]);
  });

  describe('personal-data clearance', () => {
    it('lets only the own organisation (or an admin) clear flags: others get 404 or 403, a funder 403', async () => {
      const path = `/v1/stories/${ids['B public with a postcode']}`;
      expect((await call(app, 'PATCH', path, { key: w.keys.submitterA, body: { pii_cleared: true } })).status).toBe(404);
      expect((await call(app, 'PATCH', path, { key: w.keys.funder, body: { pii_cleared: true } })).status).toBe(403);
      // Visible to A (public, no flags) but not A's to change.
      const notOwn = await call(app, 'PATCH', `/v1/stories/${ids['B public']}`, { key: w.keys.submitterA, body: { pii_cleared: true } });
      expect(notOwn).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
      const nothingToClear = await call(app, 'PATCH', `/v1/stories/${ids['B public']}`, { key: w.keys.submitterB, body: { pii_cleared: true } });
      expect(nothingToClear).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
      const stored = await t.db.selectFrom('stories').select('pii_cleared_at').where('id', '=', ids['B public with a postcode']!).executeTakeFirstOrThrow();
      expect(stored.pii_cleared_at).toBeNull();
    });

    it('shares a flagged story within its scope once cleared, and hides it again when clearance is withdrawn', async () => {
      const emailStory = ids['B funders with an email']!;
      const cleared = await call(app, 'PATCH', `/v1/stories/${emailStory}`, { key: w.keys.submitterB, body: { pii_cleared: true } });
      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({ id: emailStory, pii_flags: ['email'] });
      expect(cleared.body.pii_cleared_at).toEqual(expect.any(String));
      expect(cleared.body.pii_cleared_by).toEqual(expect.any(String));
      const byAdmin = await call(app, 'PATCH', `/v1/stories/${ids['B public with a postcode']}`, { key: w.keys.admin, body: { pii_cleared: true } });
      expect(byAdmin.status).toBe(200);

      expect(titles((await read(w.keys.funder)).body)).toEqual([
        'A public', 'B funders', 'B funders with an email', 'B public', 'B public 2026', 'B public with a postcode',
      ]);
      // Another provider sees the cleared public story, never the funders-only one.
      expect(titles((await read(w.keys.submitterA)).body)).toEqual([
        'A internal', 'A public', 'B public', 'B public 2026', 'B public with a postcode',
      ]);

      const audit = await t.db.selectFrom('audit_log').select(['action', 'entity_id', 'actor_role']).where('action', 'like', 'story.pii%').orderBy('id').execute();
      expect(audit).toEqual([
        { action: 'story.pii_clear', entity_id: emailStory, actor_role: 'submitter' },
        { action: 'story.pii_clear', entity_id: ids['B public with a postcode'], actor_role: 'admin' },
      ]);

      const withdrawn = await call(app, 'PATCH', `/v1/stories/${emailStory}`, { key: w.keys.submitterB, body: { pii_cleared: false } });
      expect(withdrawn.body).toMatchObject({ pii_cleared_at: null, pii_cleared_by: null });
      expect(titles((await read(w.keys.funder)).body)).not.toContain('B funders with an email');
    });
  });

  it('shows only the current version of a period: a re-submission replaces its stories for every reader', async () => {
    await submit(w.keys.submitterB, w.ids.projectB, '2025-01-01', '2025-03-31', [story('B public, corrected', 'public'), story('B funders, corrected', 'funders')]);
    expect(titles((await read(w.keys.funder, `?project=${w.ids.projectB}`)).body)).toEqual([
      'B funders, corrected', 'B public 2026', 'B public, corrected',
    ]);
    // Another organisation cannot read B's snapshots, yet still sees only the current version's story.
    expect(titles((await read(w.keys.submitterA, `?project=${w.ids.projectB}`)).body)).toEqual(['B public 2026', 'B public, corrected']);
    // The history is still listed, with each version's own stories.
    const listed = await call(app, 'GET', `/v1/projects/${w.ids.projectB}/snapshots`, { key: w.keys.submitterB });
    expect(listed.body.snapshots.map((s: { period_start: string; version: number; stories: unknown[] }) => [s.period_start, s.version, s.stories.length])).toEqual([
      ['2025-01-01', 1, 6],
      ['2025-01-01', 2, 2],
      ['2026-01-01', 1, 2],
    ]);
  });
});

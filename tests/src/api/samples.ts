import type { FirstmileApp } from '@firstmile/api';
import { call, type Tenants } from '@firstmile/api/testing';
import { runEtl } from '@firstmile/etl';
import type { TestDatabase } from '@firstmile/schema/testing';

export interface RequestSample {
  method: string;
  path: string;
  key: string;
  body?: unknown;
  /** A body sent as text (CSV), not serialised as JSON. */
  text?: string;
  contentType?: string;
}

/** Objects of one provider, so a request about A can be turned into the same request about B. */
export interface ProviderObjects {
  organisation: string;
  project: string;
  service: string;
  funding: string;
  metric: string;
  snapshot: string;
  story: string;
  key: string;
}

export interface SampleWorld {
  samples: RequestSample[];
  a: ProviderObjects;
  b: ProviderObjects;
}

function ok<T>(result: { status: number; body: T }, what: string): T {
  if (result.status >= 300) throw new Error(`${what}: ${result.status} ${JSON.stringify(result.body)}`);
  return result.body;
}

export function snapshotBody(period: { start: string; end: string }, metricKey = 'reoffending_12m', storyBody = 'He said the first week was the hardest; someone waiting for him made it bearable.') {
  return {
    period_start: period.start,
    period_end: period.end,
    observations: [
      { metric_key: metricKey, numerator: 3, denominator: 40, comparator: { value: 0.49, kind: 'national_average', source: 'Illustrative national average (test)' } },
      { metric_key: 'people_supported', value: 40 },
    ],
    stories: [
      {
        title: 'Met at the gate',
        body: storyBody,
        themes: ['trust', 'continuity'],
        linked_metrics: [metricKey],
        storyteller_role: 'practitioner',
        consent: { status: 'given', scope: 'funders', recorded_on: '2024-06-01' },
        anonymised: true,
      },
    ],
  };
}

async function objectsOf(app: FirstmileApp, w: Tenants, side: 'A' | 'B'): Promise<ProviderObjects> {
  const key = side === 'A' ? w.keys.submitterA : w.keys.submitterB;
  const organisation = side === 'A' ? w.ids.providerA : w.ids.providerB;
  const project = side === 'A' ? w.ids.projectA : w.ids.projectB;
  const service = side === 'A' ? w.ids.serviceA : w.ids.serviceB;
  const metric = `${side.toLowerCase()}_side_wellbeing`;
  ok(await call(app, 'POST', '/v1/metrics', { key, body: { key: metric, label: `Wellbeing (${side})`, kind: 'score', polarity: 'higher_is_better', theme: 'wellbeing' } }), `metric ${side}`);
  const funding = ok(
    await call(app, 'POST', '/v1/funding', { key: w.keys.admin, body: { funder_id: w.ids.funder, project_id: project, from: '2024-01-01', to: '2025-12-31', amount_gbp: 1000 } }),
    `funding ${side}`,
  ) as { id: string };
  const storyBody = side === 'A'
    ? 'He said the first week was the hardest; someone waiting for him made it bearable.'
    : 'She had told her story to four services before anyone asked what she wanted to happen next.';
  const snapshot = ok(await call(app, 'POST', `/v1/projects/${project}/snapshots`, { key, body: snapshotBody({ start: '2024-04-01', end: '2024-06-30' }, 'reoffending_12m', storyBody) }), `snapshot ${side}`) as {
    id: string;
    stories: Array<{ id: string }>;
  };
  // A conversation, so that each side has system figures for the other to be kept from.
  ok(await call(app, 'POST', '/v1/contacts', { key, body: { contacts: [{ service_id: service, person_ref: `walk-${side}`, occurred_at: '2024-05-02T09:00:00Z', minutes: 25, channel: 'phone', outcome: 'resolved' }] } }), `contacts ${side}`);
  const keys = ok(await call(app, 'GET', '/v1/keys', { key }), `keys ${side}`) as { keys: Array<{ id: string; role: string }> };
  return {
    organisation, project, service, metric, funding: funding.id, snapshot: snapshot.id,
    story: snapshot.stories[0]!.id, key: keys.keys.find((k) => k.role === 'submitter')!.id,
  };
}

/**
 * A valid request for each route, made by someone allowed to make it: the fuzzer mutates
 * these, so hostile values get past authentication to validation and storage, and the
 * tenancy walk turns A's requests into requests about B.
 */
export async function sampleWorld(app: FirstmileApp, t: TestDatabase, w: Tenants): Promise<SampleWorld> {
  ok(await call(app, 'POST', '/v1/places', { key: w.keys.admin, body: { code: 'DEMO-HARBOUR', name: 'Harbour' } }), 'place');
  const a = await objectsOf(app, w, 'A');
  const b = await objectsOf(app, w, 'B');
  // The analytics tables hold both sides' figures, so the analytics routes have something to keep apart.
  await runEtl(t.db);
  const { ids, keys } = w;
  const A = keys.submitterA;
  const csv = [
    'period_start,period_end,metric_key,value,numerator,denominator,comparator_value,comparator_kind,comparator_source',
    '2024-07-01,2024-09-30,reoffending_12m,,4,42,0.49,national_average,Illustrative national average (test)',
    '2024-07-01,2024-09-30,people_supported,42,,,,,',
  ].join('\n');
  // Contacts: a raw identifier (pseudonymised by the API) in JSON; the CSV also has a caller's own pseudonym.
  // One contact only: the full sweep sends every hostile value to every field, and each costs a request.
  const contacts = [
    { service_id: a.service, person_id: 'CASE-4471', need_ref: 'need-housing-1', occurred_at: '2024-07-02T09:30:00Z', minutes: 30, cost_gbp: 38, channel: 'face_to_face', outcome: 'referred_on', source_contact_id: 'crm-1001' },
  ];
  const contactsCsv = [
    'service_id,person_id,person_ref,need_ref,occurred_at,minutes,cost_gbp,channel,outcome,source_contact_id',
    `${a.service},CASE-4472,,need-housing-2,2024-07-03T10:00:00Z,45,52.5,home_visit,ongoing,crm-1002`,
    `${a.service},,p-8e1b2d,,2024-07-10T11:15:00Z,20,,online,resolved,`,
  ].join('\n');
  const samples: RequestSample[] = [
    { method: 'GET', path: '/v1/organisations', key: A },
    { method: 'POST', path: '/v1/organisations', key: keys.admin, body: { name: 'Lakeside Mentors', kind: 'provider' } },
    { method: 'GET', path: `/v1/organisations/${a.organisation}`, key: A },
    { method: 'PATCH', path: `/v1/organisations/${a.organisation}`, key: A, body: { name: 'Harbour Mentoring' } },
    { method: 'GET', path: '/v1/keys', key: A },
    { method: 'POST', path: '/v1/keys', key: keys.admin, body: { organisation_id: a.organisation, role: 'analyst', label: 'fuzz' } },
    { method: 'PATCH', path: `/v1/keys/${a.key}`, key: A, body: { label: 'renamed' } },
    { method: 'GET', path: '/v1/projects', key: A },
    { method: 'POST', path: '/v1/projects', key: A, body: { name: 'Open Door', sector: 'housing', place_code: 'DEMO-HARBOUR', started_on: '2025-04-01' } },
    { method: 'GET', path: `/v1/projects/${a.project}`, key: A },
    { method: 'PATCH', path: `/v1/projects/${a.project}`, key: A, body: { name: 'Through the Gate (Harbour)', started_on: '2023-09-01' } },
    { method: 'GET', path: '/v1/services', key: A },
    { method: 'POST', path: '/v1/services', key: A, body: { name: 'Drop-in', kind: 'community_project', place_code: 'DEMO-HARBOUR', project_id: a.project, unit_cost_gbp_per_contact: 25.5, unit_cost_source: 'Own costing, 2024/25' } },
    { method: 'GET', path: `/v1/services/${a.service}`, key: A },
    { method: 'PATCH', path: `/v1/services/${a.service}`, key: A, body: { name: 'Mentoring team' } },
    { method: 'GET', path: '/v1/funding', key: A },
    { method: 'POST', path: '/v1/funding', key: keys.admin, body: { funder_id: ids.funder, project_id: a.project, from: '2026-01-01', to: '2026-12-31', amount_gbp: 2500.5 } },
    { method: 'GET', path: `/v1/funding/${a.funding}`, key: A },
    { method: 'PATCH', path: `/v1/funding/${a.funding}`, key: keys.admin, body: { amount_gbp: 1200 } },
    { method: 'GET', path: '/v1/places', key: A },
    { method: 'POST', path: '/v1/places', key: keys.admin, body: { code: 'DEMO-LAKESIDE', name: 'Lakeside' } },
    { method: 'PATCH', path: '/v1/places/DEMO-HARBOUR', key: keys.admin, body: { name: 'Harbour and Quay' } },
    { method: 'GET', path: `/v1/organisations/${ids.commissioner}/places`, key: keys.commissioner },
    { method: 'POST', path: `/v1/organisations/${ids.commissioner}/places`, key: keys.admin, body: { place_code: 'DEMO-HARBOUR' } },
    { method: 'PATCH', path: `/v1/organisations/${ids.commissioner}/places/DEMO-NORTHFIELD`, key: keys.admin, body: { archived: false } },
    { method: 'GET', path: '/v1/metrics', key: A },
    { method: 'POST', path: '/v1/metrics', key: A, body: { key: 'harbour_trust', label: 'Trust in the mentor', kind: 'score', polarity: 'higher_is_better', theme: 'relational', description: 'Self-reported, 1 to 10' } },
    { method: 'GET', path: `/v1/metrics/${a.metric}`, key: A },
    { method: 'PATCH', path: `/v1/metrics/${a.metric}`, key: A, body: { label: 'Wellbeing score' } },
    { method: 'GET', path: `/v1/projects/${a.project}/snapshots`, key: A },
    { method: 'POST', path: `/v1/projects/${a.project}/snapshots`, key: A, body: snapshotBody({ start: '2024-10-01', end: '2024-12-31' }) },
    { method: 'POST', path: `/v1/projects/${a.project}/snapshots:import`, key: A, text: csv, contentType: 'text/csv' },
    { method: 'POST', path: '/v1/contacts', key: A, body: { contacts } },
    { method: 'POST', path: '/v1/contacts:import', key: A, text: contactsCsv, contentType: 'text/csv' },
    { method: 'GET', path: '/v1/stories', key: A },
    { method: 'GET', path: '/v1/outcomes', key: A },
    { method: 'GET', path: `/v1/outcomes?project=${a.project}&grain=quarter&group_by=project&deadweight=0.1`, key: A },
    { method: 'GET', path: `/v1/outcomes/did?project=${a.project}&metric=reoffending_12m&a=2024-04-01&b=2024-07-01`, key: A },
    { method: 'GET', path: '/v1/system', key: A },
    { method: 'GET', path: `/v1/system?service=${a.service}&grain=year`, key: A },
    { method: 'PATCH', path: `/v1/stories/${a.story}`, key: A, body: { pii_cleared: true } },
  ];
  return { samples, a, b };
}

/** The same request about B's objects: every A id in the path and body swapped for B's. */
export function aboutB(sample: RequestSample, a: ProviderObjects, b: ProviderObjects): RequestSample {
  const pairs = (Object.keys(a) as Array<keyof ProviderObjects>).map((k) => [a[k], b[k]] as const);
  const swap = (text: string) => pairs.reduce((acc, [from, to]) => acc.replaceAll(from, to), text);
  return {
    ...sample,
    path: swap(sample.path),
    ...(sample.body !== undefined ? { body: JSON.parse(swap(JSON.stringify(sample.body))) } : {}),
    ...(sample.text !== undefined ? { text: swap(sample.text) } : {}),
  };
}

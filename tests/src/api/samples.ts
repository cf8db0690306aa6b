import type { FirstmileApp } from '@firstmile/api';
import type { Tenants } from '@firstmile/api/testing';
import type { TestDatabase } from '@firstmile/schema/testing';

export interface RequestSample {
  method: string;
  path: string;
  key: string;
  body?: unknown;
  contentType?: string;
}

/**
 * A valid request for each route, made by the caller who may make it: the fuzzer mutates
 * these, so the hostile values get past authentication to the validation and storage paths.
 */
export async function requestSamples(_app: FirstmileApp, _t: TestDatabase, w: Tenants): Promise<RequestSample[]> {
  const { ids, keys } = w;
  return [
    { method: 'GET', path: '/v1/organisations', key: keys.submitterA },
    { method: 'POST', path: '/v1/organisations', key: keys.admin, body: { name: 'Lakeside Mentors', kind: 'provider' } },
    { method: 'GET', path: `/v1/organisations/${ids.providerA}`, key: keys.submitterA },
    { method: 'PATCH', path: `/v1/organisations/${ids.providerA}`, key: keys.submitterA, body: { name: 'Harbour Mentoring' } },
    { method: 'GET', path: '/v1/keys', key: keys.submitterA },
    { method: 'POST', path: '/v1/keys', key: keys.admin, body: { organisation_id: ids.providerA, role: 'analyst', label: 'fuzz' } },
  ];
}

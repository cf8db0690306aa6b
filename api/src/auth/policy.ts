import type { Role } from '@firstmile/schema';

const everyone: readonly Role[] = ['submitter', 'funder', 'analyst', 'commissioner', 'admin'];
const managers: readonly Role[] = ['submitter', 'funder', 'commissioner', 'admin'];

/**
 * Which role may call which route: the one table. A route not listed here is refused
 * (and a test fails), so nothing becomes callable by accident. What a role may *see*
 * within a route is decided by tenancy: the domain functions and row-level security.
 */
export const routePolicy: Readonly<Record<string, readonly Role[]>> = Object.freeze({
  'GET /v1/organisations': everyone,
  'POST /v1/organisations': ['admin'],
  'GET /v1/organisations/{id}': everyone,
  'PATCH /v1/organisations/{id}': managers,
  'GET /v1/keys': everyone,
  'POST /v1/keys': ['admin'],
  'PATCH /v1/keys/{id}': managers,
  // Administration. Commissioners see projects only as aggregates, so not through these.
  'GET /v1/projects': ['submitter', 'funder', 'analyst', 'admin'],
  'POST /v1/projects': ['submitter', 'admin'],
  'GET /v1/projects/{id}': ['submitter', 'funder', 'analyst', 'admin'],
  'PATCH /v1/projects/{id}': ['submitter', 'admin'],
  'GET /v1/services': everyone,
  'POST /v1/services': ['submitter', 'admin'],
  'GET /v1/services/{id}': everyone,
  'PATCH /v1/services/{id}': ['submitter', 'admin'],
  'GET /v1/funding': ['submitter', 'funder', 'analyst', 'admin'],
  'POST /v1/funding': ['admin'],
  'GET /v1/funding/{id}': ['submitter', 'funder', 'analyst', 'admin'],
  'PATCH /v1/funding/{id}': ['admin'],
  'GET /v1/places': everyone,
  'POST /v1/places': ['admin'],
  'PATCH /v1/places/{code}': ['admin'],
  'GET /v1/organisations/{id}/places': ['commissioner', 'analyst', 'admin'],
  'POST /v1/organisations/{id}/places': ['admin'],
  'PATCH /v1/organisations/{id}/places/{placeCode}': ['admin'],
  'GET /v1/metrics': everyone,
  'POST /v1/metrics': ['submitter', 'admin'],
  'GET /v1/metrics/{key}': everyone,
  'PATCH /v1/metrics/{key}': ['submitter', 'admin'],
  // Snapshots and stories. Who sees which rows is tenancy's (funders: funded periods; stories:
  // consent scope and personal-data flags); commissioners see projects only as aggregates.
  'GET /v1/projects/{projectId}/snapshots': ['submitter', 'funder', 'analyst', 'admin'],
  'POST /v1/projects/{projectId}/snapshots': ['submitter', 'admin'],
  'POST /v1/projects/{projectId}/snapshots:import': ['submitter', 'admin'],
  // Contacts: a provider's own records of conversations; read back only as pseudonymised exports.
  'POST /v1/contacts': ['submitter', 'admin'],
  'POST /v1/contacts:import': ['submitter', 'admin'],
  'GET /v1/stories': everyone,
  'PATCH /v1/stories/{id}': ['submitter', 'admin'],
  // Analytics: every role reads them within its tenancy (a commissioner by place, a funder by
  // funded period); others' rows come under small-number protection, own rows exact.
  'GET /v1/outcomes': everyone,
  'GET /v1/outcomes/did': everyone,
  'GET /v1/system': ['submitter', 'funder', 'analyst', 'commissioner', 'admin'],
});

export function allowedRoles(method: string, path: string): readonly Role[] | undefined {
  return routePolicy[`${method.toUpperCase()} ${path}`];
}

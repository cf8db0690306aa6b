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
});

export function allowedRoles(method: string, path: string): readonly Role[] | undefined {
  return routePolicy[`${method.toUpperCase()} ${path}`];
}

import type { Actor } from '../../http/env.ts';

/**
 * A commissioner's place links are seen by the commissioner itself and by admins; anyone
 * else asking about an organisation is told it is not found. Row-level security
 * (`commissioner_places_read`) says the same in SQL. Place names (`places`) are shared.
 */
export function mayReadPlacesOf(actor: Actor, organisationId: string): boolean {
  return actor.role === 'admin' || actor.organisationId === organisationId;
}

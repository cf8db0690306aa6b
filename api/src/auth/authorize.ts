import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { HttpProblem } from '../http/problem.ts';
import { allowedRoles } from './policy.ts';

/** Checks the route's entry in the policy table; no entry means no access. */
export function authorize(method: string, path: string): MiddlewareHandler<AppEnv> {
  return async function authorize(c, next) {
    const roles = allowedRoles(method, path);
    const actor = c.get('actor');
    if (!roles) throw new HttpProblem('forbidden', `${method.toUpperCase()} ${path} has no access policy`);
    if (!roles.includes(actor.role)) {
      throw new HttpProblem('forbidden', `a ${actor.role} key may not call ${method.toUpperCase()} ${path}`);
    }
    await next();
  };
}

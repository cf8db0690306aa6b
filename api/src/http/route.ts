import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { ErrorBody } from '@firstmile/schema';
import { authorize } from '../auth/authorize.ts';
import type { AppEnv } from './env.ts';
import { HttpProblem } from './problem.ts';

const errorContent = { 'application/json': { schema: ErrorBody } };

/** The refusals every /v1 route can answer with, documented once. */
export const commonErrors = {
  400: { description: 'Malformed request (for example, JSON that does not parse)', content: errorContent },
  401: { description: 'Missing, unknown or revoked API key', content: errorContent },
  403: { description: "The key's role may not call this route", content: errorContent },
  404: { description: 'Not found, or not visible to this key', content: errorContent },
  413: { description: 'The body is too large', content: errorContent },
  415: { description: 'The body is not in the media type this route takes', content: errorContent },
  422: { description: 'Invalid fields: every problem with its path', content: errorContent },
} as const;

function requireMediaType(mediaType: string): MiddlewareHandler<AppEnv> {
  return async function requireMediaType(c, next) {
    const given = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (given !== mediaType) {
      throw new HttpProblem('unsupported_media_type', `send the body as ${mediaType}${given ? `, not ${given}` : ''}`);
    }
    await next();
  };
}

const REGEXP_SPECIALS = /[.*+?^${}()|[\]\\]/g;

/**
 * Hono's RegExpRouter reads a `:` anywhere in a path as the start of a parameter, so
 * `/snapshots:import` (a Google AIP-136 custom method) registers as `/snapshots` followed by
 * a parameter named `import`, and would also answer `/snapshotsanything`; Hono has no escape
 * for it (honojs/hono#1301, #4562). For such paths this check lets only the literal path
 * through and answers anything else as no route at all. The router also hands over the
 * spurious parameter, so such a route's `params` schema must not be strict.
 */
function exactPath(path: string): MiddlewareHandler<AppEnv> | null {
  if (!/[^/]:/.test(path)) return null;
  const pattern = new RegExp(
    `^${path.split(/(\{[^}]+\})/).map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(REGEXP_SPECIALS, '\\$&'))).join('')}$`,
  );
  return async function exactPath(c, next) {
    if (!pattern.test(c.req.path)) throw new HttpProblem('not_found', `no route for ${c.req.method} ${c.req.path}`);
    await next();
  };
}

export interface ApiRouteOptions {
  /** Run after the policy and media-type checks and before validation (e.g. idempotency). */
  middleware?: MiddlewareHandler<AppEnv>[];
}

/**
 * A /v1 route: documented in OpenAPI, guarded by the policy table, and refusing bodies in
 * the wrong media type before validation sees them.
 */
export function apiRoute<const R extends Omit<RouteConfig, 'middleware' | 'security'>>(config: R, options: ApiRouteOptions = {}) {
  const mediaTypes = Object.keys(config.request?.body?.content ?? {});
  const middleware: MiddlewareHandler<AppEnv>[] = [];
  const literal = exactPath(config.path);
  if (literal) middleware.push(literal);
  middleware.push(authorize(config.method, config.path));
  if (mediaTypes.length === 1) middleware.push(requireMediaType(mediaTypes[0]!));
  middleware.push(...(options.middleware ?? []));
  return createRoute({
    ...config,
    security: [{ bearerAuth: [] }],
    middleware,
    responses: { ...commonErrors, ...config.responses },
  });
}

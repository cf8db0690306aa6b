import type { MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { IdempotencyHeaders, validationDetails } from '@firstmile/schema';
import { claimIdempotencyKey, completeIdempotencyKey, requestHash } from '../domain/idempotency/keys.ts';
import { ConflictError, ValidationError } from '../domain/errors.ts';
import type { AppEnv } from './env.ts';

export const REPLAYED_HEADER = 'Idempotent-Replayed';

/**
 * Honours an `Idempotency-Key` header (keys belong to the caller's organisation and last at
 * least 24 hours). Everything happens in the request's transaction: the key, the work and the
 * stored answer commit together, and a refused request (4xx) rolls its key back with the rest,
 * so a corrected retry with the same key goes through.
 */
export function idempotent(): MiddlewareHandler<AppEnv> {
  return async function idempotent(c, next) {
    const parsed = IdempotencyHeaders.safeParse({ 'idempotency-key': c.req.header('idempotency-key') });
    if (!parsed.success) {
      throw new ValidationError(
        validationDetails(parsed.error).map((d) => ({ ...d, path: 'Idempotency-Key' })),
        'the Idempotency-Key header is invalid',
      );
    }
    const key = parsed.data['idempotency-key'];
    if (key === undefined) return next();

    const db = c.get('db');
    const organisationId = c.get('actor').organisationId;
    const body = new Uint8Array(await c.req.arrayBuffer());
    const claim = await claimIdempotencyKey(db, {
      organisationId,
      key,
      method: c.req.method,
      path: c.req.path,
      hash: requestHash(c.req.method, c.req.path, body),
    });
    switch (claim.kind) {
      case 'claimed':
        break;
      case 'replay':
        return c.body(claim.body, claim.status as ContentfulStatusCode, {
          'content-type': 'application/json',
          [REPLAYED_HEADER]: 'true',
        });
      case 'mismatch':
        throw new ConflictError('this Idempotency-Key was already used for a different request; use a new key for a new request');
      case 'in_progress':
        throw new ConflictError('a request with this Idempotency-Key is still being processed; retry shortly');
      default:
        throw new Error(`unknown idempotency claim ${JSON.stringify(claim satisfies never)}`);
    }
    await next();
    if (c.res.status >= 200 && c.res.status < 300) {
      await completeIdempotencyKey(db, { organisationId, key }, { status: c.res.status, body: await c.res.clone().text() });
    }
  };
}

import type { MiddlewareHandler } from 'hono';
import type { DatabaseHandle } from '@firstmile/schema';
import type { AppEnv } from '../http/env.ts';
import { HttpProblem } from '../http/problem.ts';
import { parseKey, secretMatches } from './api-key.ts';

const invalidKey = () => new HttpProblem('unauthorized', 'the API key is not valid (unknown, revoked or malformed)');

/** Resolves `Authorization: Bearer <key>` to an actor; every failure looks the same. */
export function authenticate(handle: DatabaseHandle): MiddlewareHandler<AppEnv> {
  return async function authenticate(c, next) {
    const header = c.req.header('authorization');
    if (!header) throw new HttpProblem('unauthorized', 'send an API key as Authorization: Bearer <key>');
    const token = /^Bearer +(\S+)$/i.exec(header)?.[1];
    const parsed = token ? parseKey(token) : null;
    if (!parsed) throw invalidKey();
    // Read outside the tenant transaction: nobody is known yet.
    const row = await handle.db
      .selectFrom('api_keys')
      .innerJoin('organisations', 'organisations.id', 'api_keys.organisation_id')
      .select([
        'api_keys.id', 'api_keys.organisation_id', 'api_keys.role', 'api_keys.secret_hash',
        'api_keys.revoked_at', 'organisations.kind', 'organisations.archived_at',
      ])
      .where('api_keys.id', '=', parsed.keyId)
      .executeTakeFirst();
    const valid = row !== undefined && secretMatches(parsed.secret, row.secret_hash) && row.revoked_at === null && row.archived_at === null;
    if (!valid) throw invalidKey();
    c.set('actor', { keyId: row.id, organisationId: row.organisation_id, organisationKind: row.kind, role: row.role });
    await next();
  };
}

import type { Kysely } from 'kysely';
import type { Database } from '@firstmile/schema';
import { parseKey } from '../auth/api-key.ts';
import type { Actor } from '../http/env.ts';

/** The actor a key stands for, as the authentication middleware would resolve it. */
export async function actorForKey(db: Kysely<Database>, key: string): Promise<Actor> {
  const parsed = parseKey(key);
  if (!parsed) throw new Error('not a Firstmile key');
  const row = await db
    .selectFrom('api_keys')
    .innerJoin('organisations', 'organisations.id', 'api_keys.organisation_id')
    .select(['api_keys.id', 'api_keys.organisation_id', 'api_keys.role', 'organisations.kind'])
    .where('api_keys.id', '=', parsed.keyId)
    .executeTakeFirstOrThrow();
  return { keyId: row.id, organisationId: row.organisation_id, organisationKind: row.kind, role: row.role };
}

import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '@firstmile/schema';
import { waitingBehind } from '../waiting.ts';

/** SHA-256 over method, path and the body's bytes: what "the same request" means. */
export function requestHash(method: string, path: string, body: Uint8Array): Buffer {
  return createHash('sha256').update(`${method.toUpperCase()}\n${path}\n`, 'utf8').update(body).digest();
}

export interface KeyRequest {
  organisationId: string;
  key: string;
  method: string;
  path: string;
  hash: Buffer;
}

export type Claim =
  /** The key is new: this request does the work, and its row waits uncommitted until it is done. */
  | { kind: 'claimed' }
  /** The same request ran before: here is what it answered. */
  | { kind: 'replay'; status: number; body: string }
  /** The key was used for a different request. */
  | { kind: 'mismatch' }
  /** Only seen if a row was left unfinished, which a committed transaction never does. */
  | { kind: 'in_progress' };

/** Expired keys of the organisation, a few at a time, skipping any another request holds. */
async function removeExpired(db: Kysely<Database>, organisationId: string): Promise<void> {
  await sql`
    DELETE FROM idempotency_keys
    WHERE (organisation_id, key) IN (
      SELECT organisation_id, key FROM idempotency_keys
      WHERE organisation_id = ${organisationId} AND expires_at < now()
      ORDER BY expires_at LIMIT 100
      FOR UPDATE SKIP LOCKED)
  `.execute(db);
}

/**
 * Takes the key for this request, inside the request's transaction. A concurrent request
 * with the same key waits on the uncommitted row (the primary key) and, once the first
 * commits, finds it completed; if the first was refused and rolled back, the key is free
 * again and the waiting request takes it.
 */
export async function claimIdempotencyKey(db: Kysely<Database>, request: KeyRequest): Promise<Claim> {
  await removeExpired(db, request.organisationId);
  for (let attempt = 0; attempt < 2; attempt++) {
    const inserted = await waitingBehind('a request with this Idempotency-Key', () => db
      .insertInto('idempotency_keys')
      .values({
        organisation_id: request.organisationId,
        key: request.key,
        method: request.method.toUpperCase(),
        path: request.path,
        request_hash: request.hash,
        state: 'in_progress',
      })
      .onConflict((oc) => oc.columns(['organisation_id', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst());
    if (inserted) return { kind: 'claimed' };
    const row = await db
      .selectFrom('idempotency_keys')
      .select(['request_hash', 'state', 'response_status', 'response_body', sql<boolean>`expires_at < now()`.as('expired')])
      .where('organisation_id', '=', request.organisationId)
      .where('key', '=', request.key)
      .executeTakeFirst();
    if (row === undefined || row.expired) {
      // Gone or expired between the two statements: clear it and try once more.
      await db.deleteFrom('idempotency_keys').where('organisation_id', '=', request.organisationId).where('key', '=', request.key).where(sql<boolean>`expires_at < now()`).execute();
      continue;
    }
    if (!request.hash.equals(row.request_hash)) return { kind: 'mismatch' };
    if (row.state !== 'completed' || row.response_status === null || typeof row.response_body !== 'string') return { kind: 'in_progress' };
    return { kind: 'replay', status: row.response_status, body: row.response_body };
  }
  return { kind: 'in_progress' };
}

/**
 * Records the answer with the key, in the same transaction as the work. The body is kept
 * as the exact response text (a JSON string value), so a replay is byte for byte the original.
 */
export async function completeIdempotencyKey(
  db: Kysely<Database>,
  request: Pick<KeyRequest, 'organisationId' | 'key'>,
  response: { status: number; body: string },
): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set({ state: 'completed', response_status: response.status, response_body: JSON.stringify(response.body) })
    .where('organisation_id', '=', request.organisationId)
    .where('key', '=', request.key)
    .execute();
}

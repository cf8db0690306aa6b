import { sql, type Kysely } from 'kysely';
import type { ApiKey, ApiKeyCreate, ApiKeyCreated, ApiKeyRow, ApiKeyUpdate, Database } from '@firstmile/schema';
import { recordAudit } from '../audit.ts';
import { NotFoundError } from '../errors.ts';
import type { Actor } from '../../http/env.ts';
import { issueApiKey } from './issue.ts';

function toApiKey(row: Omit<ApiKeyRow, 'secret_hash'>): ApiKey {
  return {
    id: row.id,
    organisation_id: row.organisation_id,
    role: row.role,
    label: row.label,
    created_at: row.created_at.toISOString(),
    last_used_at: row.last_used_at?.toISOString() ?? null,
    revoked_at: row.revoked_at?.toISOString() ?? null,
  };
}

const columns = ['id', 'organisation_id', 'role', 'label', 'created_at', 'last_used_at', 'revoked_at'] as const;

export async function listApiKeys({ db, actor }: { db: Kysely<Database>; actor: Actor }): Promise<ApiKey[]> {
  let query = db.selectFrom('api_keys').select(columns).orderBy('created_at').orderBy('id');
  if (actor.role !== 'admin') query = query.where('organisation_id', '=', actor.organisationId);
  return (await query.execute()).map(toApiKey);
}

export async function createApiKey({ db, actor, input }: { db: Kysely<Database>; actor: Actor; input: ApiKeyCreate }): Promise<ApiKeyCreated> {
  const created = await issueApiKey(db, { organisationId: input.organisation_id, role: input.role, label: input.label });
  await recordAudit(db, actor, { action: 'api_key.create', entity: 'api_key', entityId: created.id, organisationId: created.organisation_id, details: { role: created.role } });
  return created;
}

/** Relabel or revoke; a key of another organisation answers 404 unless the caller is an admin. */
export async function updateApiKey({ db, actor, id, input }: { db: Kysely<Database>; actor: Actor; id: string; input: ApiKeyUpdate }): Promise<ApiKey> {
  let query = db
    .updateTable('api_keys')
    .set({
      ...(input.label !== undefined ? { label: input.label } : {}),
      // Revoking twice keeps the first revocation's time.
      ...(input.revoked ? { revoked_at: sql<Date>`coalesce(revoked_at, now())` } : {}),
    })
    .where('id', '=', id);
  if (actor.role !== 'admin') query = query.where('organisation_id', '=', actor.organisationId);
  const row = await query.returning(columns).executeTakeFirst();
  if (!row) throw new NotFoundError('API key', id);
  await recordAudit(db, actor, { action: input.revoked ? 'api_key.revoke' : 'api_key.update', entity: 'api_key', entityId: id, organisationId: row.organisation_id });
  return toApiKey(row);
}

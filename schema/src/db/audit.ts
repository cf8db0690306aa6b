import type { Generated, Selectable } from 'kysely';
import type { CreatedAt, ReadonlyJson } from './columns.ts';

/** Append-only: the database refuses updates, deletes and truncation. */
export interface AuditLogTable {
  id: Generated<number>;
  organisation_id: string | null;
  actor_organisation_id: string | null;
  actor_key_id: string | null;
  actor_role: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  details: ReadonlyJson<Record<string, unknown>>;
  request_id: string | null;
  at: CreatedAt;
}
export type AuditLogRow = Selectable<AuditLogTable>;

export interface IdempotencyKeysTable {
  organisation_id: string;
  key: string;
  method: string;
  path: string;
  request_hash: Buffer;
  state: 'in_progress' | 'completed';
  response_status: number | null;
  response_body: ReadonlyJson<unknown> | null;
  created_at: CreatedAt;
  expires_at: Generated<Date>;
}
export type IdempotencyKeyRow = Selectable<IdempotencyKeysTable>;

import type { Kysely } from 'kysely';
import type { Database } from '@firstmile/schema';
import type { Actor } from '../http/env.ts';

/** Who acted: a key's actor, or the command line acting for one organisation (no key). */
export type AuditActor = Pick<Actor, 'organisationId' | 'role'> & { keyId: string | null };

export interface AuditEntry {
  action: string;
  entity: string;
  entityId?: string | null;
  /** The organisation whose data was touched. */
  organisationId: string | null;
  details?: Record<string, unknown>;
}

/** Written in the caller's transaction, so the record and the change stand or fall together. */
export async function recordAudit(db: Kysely<Database>, actor: AuditActor, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      organisation_id: entry.organisationId,
      actor_organisation_id: actor.organisationId,
      actor_key_id: actor.keyId,
      actor_role: actor.role,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

/** For the command line, which acts as the deployment itself rather than through a key. */
export async function recordSystemAudit(db: Kysely<Database>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      organisation_id: entry.organisationId,
      actor_role: 'system',
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

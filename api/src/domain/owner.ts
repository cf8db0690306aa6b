import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database, OrganisationKind } from '@firstmile/schema';
import type { Actor } from '../http/env.ts';
import { ValidationError } from './errors.ts';

/**
 * Checks that an organisation named in a request body exists, is active and is of an
 * allowed kind; every refusal is a 422 on `path`, because the id is a field of the body.
 */
export async function requireOrganisation(
  db: Kysely<Database>,
  id: string,
  { path, kinds, what }: { path: string; kinds?: readonly OrganisationKind[]; what: string },
): Promise<{ id: string; kind: OrganisationKind }> {
  const row = await db.selectFrom('organisations').select(['id', 'kind', 'archived_at']).where('id', '=', id).executeTakeFirst();
  if (!row) throw new ValidationError([{ path, message: 'no organisation has this id' }]);
  if (row.archived_at !== null) throw new ValidationError([{ path, message: 'the organisation is archived' }]);
  if (kinds && !kinds.includes(row.kind)) {
    throw new ValidationError([{ path, message: `${what} belongs to a ${kinds.join(' or ')} organisation, not a ${row.kind}` }]);
  }
  return { id: row.id, kind: row.kind };
}

/**
 * The organisation a new record belongs to. A non-admin creates only for its own
 * organisation (and may leave `organisation_id` out); an admin must name one.
 */
export async function ownerOf(
  db: Kysely<Database>,
  actor: Actor,
  given: string | undefined,
  { kinds, what }: { kinds?: readonly OrganisationKind[]; what: string },
): Promise<string> {
  const path = 'organisation_id';
  if (actor.role !== 'admin') {
    if (given !== undefined && given !== actor.organisationId) {
      throw new ValidationError([{ path, message: "must be your own organisation's id, or left out" }]);
    }
    if (kinds && !kinds.includes(actor.organisationKind)) {
      throw new ValidationError([{ path, message: `${what} belongs to a ${kinds.join(' or ')} organisation, not a ${actor.organisationKind}` }]);
    }
    return actor.organisationId;
  }
  if (given === undefined) throw new ValidationError([{ path, message: `is required when an admin creates ${what}` }]);
  return (await requireOrganisation(db, given, { path, kinds, what })).id;
}

/**
 * The `archived_at` change an `archived` flag asks for, if any. Archiving twice keeps the
 * first archiving's time; restoring clears it.
 */
export function archivedChange(archived: boolean | undefined): { archived_at?: RawBuilder<Date> | null } {
  if (archived === undefined) return {};
  return { archived_at: archived ? sql<Date>`coalesce(archived_at, now())` : null };
}

import type { Kysely } from 'kysely';
import type { ApiKeyCreated, Database, OrganisationKind, Role } from '@firstmile/schema';
import { formatKey, hashSecret, newSecret } from '../../auth/api-key.ts';
import { ValidationError, NotFoundError } from '../errors.ts';

/** Which roles an organisation of each kind may hold keys for. */
export const rolesByKind: Readonly<Record<OrganisationKind, readonly Role[]>> = {
  provider: ['submitter', 'analyst'],
  funder: ['funder', 'analyst'],
  commissioner: ['commissioner', 'analyst'],
  platform: ['admin', 'analyst'],
};

export interface IssueKeyInput {
  organisationId: string;
  role: Role;
  label?: string;
}

/** Creates a key and returns it once; only the hash of its secret is kept. */
export async function issueApiKey(db: Kysely<Database>, input: IssueKeyInput): Promise<ApiKeyCreated> {
  const organisation = await db.selectFrom('organisations').select(['id', 'kind', 'archived_at']).where('id', '=', input.organisationId).executeTakeFirst();
  if (!organisation || organisation.archived_at !== null) throw new NotFoundError('organisation', input.organisationId);
  const allowed = rolesByKind[organisation.kind];
  if (!allowed.includes(input.role)) {
    throw new ValidationError([{ path: 'role', message: `a ${organisation.kind} organisation may hold ${allowed.join(' or ')} keys, not ${input.role}` }]);
  }
  const secret = newSecret();
  const row = await db
    .insertInto('api_keys')
    .values({ organisation_id: organisation.id, role: input.role, label: input.label ?? '', secret_hash: hashSecret(secret) })
    .returning(['id', 'organisation_id', 'role', 'label', 'created_at'])
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    organisation_id: row.organisation_id,
    role: row.role,
    label: row.label,
    created_at: row.created_at.toISOString(),
    key: formatKey(row.id, secret),
  };
}

/** The platform organisation admins belong to, created the first time it is needed. */
export async function platformOrganisation(db: Kysely<Database>): Promise<string> {
  const existing = await db.selectFrom('organisations').select('id').where('kind', '=', 'platform').orderBy('created_at').executeTakeFirst();
  if (existing) return existing.id;
  const created = await db.insertInto('organisations').values({ name: 'Firstmile platform', kind: 'platform' }).returning('id').executeTakeFirstOrThrow();
  return created.id;
}

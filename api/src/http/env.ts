import type { Transaction } from 'kysely';
import type { Database, OrganisationKind, Role } from '@firstmile/schema';

/** Who is calling: resolved from the API key, once per request. */
export interface Actor {
  keyId: string;
  organisationId: string;
  organisationKind: OrganisationKind;
  role: Role;
}

export interface AppEnv {
  Variables: {
    actor: Actor;
    /** The request's transaction, confined by row-level security to the actor. */
    db: Transaction<Database>;
    requestId: string;
  };
}

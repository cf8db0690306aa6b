import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, Role } from '@firstmile/schema';

class RolledBack extends Error {}

/**
 * Runs `work` as a request would run it: as the confined `firstmile_app` role with the
 * tenant's organisation and role set, so row-level security alone decides what is seen.
 * Always rolls back. For tests of the second wall behind the domain functions' own.
 */
export async function asTenant<T>(
  db: Kysely<Database>,
  tenant: { organisationId: string; role: Role },
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  let result: { value: T } | undefined;
  try {
    await db.transaction().execute(async (trx) => {
      await sql`SET LOCAL ROLE firstmile_app`.execute(trx);
      await sql`SELECT set_config('app.organisation_id', ${tenant.organisationId}, true), set_config('app.role', ${tenant.role}, true)`.execute(trx);
      result = { value: await work(trx) };
      throw new RolledBack();
    });
  } catch (error) {
    if (!(error instanceof RolledBack)) throw error;
  }
  return result!.value;
}

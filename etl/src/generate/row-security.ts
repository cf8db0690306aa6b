import type pg from 'pg';

/**
 * Runs `work` (a COPY into `table`) with the table's forced row-level security set aside.
 *
 * PostgreSQL refuses COPY FROM into a table whose row-level security applies to the current
 * role, and FORCE makes it apply even to the owner. The generator runs in the system context,
 * which every policy admits row by row anyway; as the owner it may stop forcing for its own
 * transaction. ALTER TABLE holds an ACCESS EXCLUSIVE lock until the transaction ends, so no
 * other session ever sees the table unforced, and on failure the rollback restores it too.
 * Superusers and roles that bypass row-level security need none of this and get none.
 */
export async function withRowSecurityLifted<T>(client: pg.PoolClient, table: string, work: () => Promise<T>): Promise<T> {
  const { rows } = await client.query<{ active: boolean }>('SELECT row_security_active($1::text::regclass) AS active', [table]);
  if (rows[0]?.active !== true) return work();
  const name = client.escapeIdentifier(table);
  try {
    await client.query(`ALTER TABLE ${name} NO FORCE ROW LEVEL SECURITY`);
  } catch (error) {
    throw new Error(
      `COPY into ${table} needs the table's owner or a role that bypasses row-level security; the current role is neither`,
      { cause: error },
    );
  }
  const result = await work();
  await client.query(`ALTER TABLE ${name} FORCE ROW LEVEL SECURITY`);
  return result;
}

import type pg from 'pg';

/** What to run to take a table's secondary indexes and constraints off, and to put them back. */
export interface IndexDefinitions {
  drop: string[];
  create: string[];
}

/**
 * The unique and foreign-key constraints and the plain indexes of `table`, read from the
 * catalogue so that whatever the migrations define is restored exactly. The primary key
 * stays: its inserts are in order and cheap, and other tables may depend on it.
 */
export async function secondaryIndexes(client: pg.PoolClient, table: string): Promise<IndexDefinitions> {
  const { rows } = await client.query<{ drop: string; create: string }>(
    `SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname) AS drop,
            format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)) AS create,
            CASE c.contype WHEN 'u' THEN 1 WHEN 'x' THEN 2 ELSE 4 END AS rank, c.conname::text AS name
     FROM pg_constraint c
     WHERE c.conrelid = $1::regclass AND c.contype IN ('u', 'x', 'f')
     UNION ALL
     SELECT format('DROP INDEX %s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid),
            3, i.indexrelid::regclass::text
     FROM pg_index i
     WHERE i.indrelid = $1::regclass AND NOT i.indisprimary
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
     ORDER BY rank, name`,
    [table],
  );
  return { drop: rows.map((r) => r.drop), create: rows.map((r) => r.create) };
}

/**
 * Runs `work` with `table`'s secondary indexes and foreign keys taken off, then puts them
 * back: PostgreSQL's advice for bulk loads ("Populating a Database"), as one sorted build
 * and one joined check are far faster than millions of row-by-row updates. Call it inside
 * a transaction: the DDL is transactional, so a failure (including a row the restored
 * constraints reject) rolls everything back and the table keeps its definition.
 */
export async function withIndexesDeferred<T>(client: pg.PoolClient, table: string, work: () => Promise<T>): Promise<T> {
  const definitions = await secondaryIndexes(client, table);
  for (const statement of definitions.drop) await client.query(statement);
  const result = await work();
  // Sorting for an index build wants more than the default working memory; only for this transaction.
  await client.query(`SET LOCAL maintenance_work_mem = '256MB'`);
  for (const statement of definitions.create) await client.query(statement);
  return result;
}

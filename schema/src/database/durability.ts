import { sql, type Kysely } from 'kysely';

export const durabilitySettings = ['fsync', 'synchronous_commit', 'full_page_writes'] as const;

export class DurabilityError extends Error {
  constructor(readonly settingsOff: string[]) {
    super(
      `Refusing to start: this PostgreSQL server has ${settingsOff.join(', ')} turned off, ` +
        'so a crash could lose or corrupt submitted data. Turn ' +
        (settingsOff.length === 1 ? 'it' : 'them') +
        ' back on (postgresql.conf, ALTER SYSTEM, or the role and database settings) and restart.',
    );
    this.name = 'DurabilityError';
  }
}

/** Firstmile keeps evidence people rely on; it will not run on a server set to lose it. */
export async function assertDurable(db: Kysely<any>): Promise<void> {
  const { rows } = await sql<{ name: string; setting: string }>`
    SELECT name, setting FROM pg_settings WHERE name = ANY (${[...durabilitySettings]})
  `.execute(db);
  const off = rows.filter((r) => r.setting === 'off').map((r) => r.name).sort();
  if (off.length > 0) throw new DurabilityError(off);
}

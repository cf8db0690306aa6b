import type { ColumnType, Generated } from 'kysely';

/** A column the database fills in (defaults, identities) and nobody updates. */
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** Calendar dates travel as ISO strings (YYYY-MM-DD) so no time zone can shift them. */
export type IsoDate = ColumnType<string, string, string>;
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type GeneratedId<T> = Generated<T>;
export type ReadonlyJson<T> = ColumnType<T, string | T | undefined, string | T>;

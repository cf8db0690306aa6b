import pg from 'pg';

const OID = { int8: 20, numeric: 1700, date: 1082 } as const;

function toSafeNumber(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`bigint ${text} is beyond exact JavaScript numbers`);
  return n;
}

/**
 * How values come back from Postgres: counts and money as numbers (they are far below
 * 2^53 here, and an exact-number check throws rather than rounding), calendar dates as
 * the ISO text the database holds, so no time zone can move a period by a day.
 */
export const pgTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (format === 'binary') return pg.types.getTypeParser(oid, 'binary');
    switch (oid) {
      case OID.int8:
        return toSafeNumber;
      case OID.numeric:
        return (text: string) => Number(text);
      case OID.date:
        return (text: string) => text;
      default:
        return pg.types.getTypeParser(oid, 'text');
    }
  }) as pg.CustomTypesConfig['getTypeParser'],
};

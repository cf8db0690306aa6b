import type { Kysely } from 'kysely';
import type { Database, Metric, UnitCostRow } from '@firstmile/schema';
import type { Actor } from '../../http/env.ts';
import { NotFoundError } from '../errors.ts';
import { toMetric } from './map.ts';
import { visibleMetric } from './visible.ts';

/** The unit costs the metrics refer to, by code. */
async function unitCostsFor(db: Kysely<Database>, codes: readonly (string | null)[]): Promise<Map<string, UnitCostRow>> {
  const wanted = [...new Set(codes.filter((code): code is string => code !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('unit_costs').selectAll().where('code', 'in', wanted).execute();
  return new Map(rows.map((row) => [row.code, row]));
}

export async function listMetrics({ db, actor }: { db: Kysely<Database>; actor: Actor }): Promise<Metric[]> {
  const rows = await db.selectFrom('metrics').selectAll().where(visibleMetric(actor)).orderBy('key').execute();
  const costs = await unitCostsFor(db, rows.map((row) => row.unit_cost_code));
  return rows.map((row) => toMetric(row, row.unit_cost_code === null ? undefined : costs.get(row.unit_cost_code)));
}

export async function getMetric({ db, actor, key }: { db: Kysely<Database>; actor: Actor; key: string }): Promise<Metric> {
  const row = await db.selectFrom('metrics').selectAll().where('key', '=', key).where(visibleMetric(actor)).executeTakeFirst();
  if (!row) throw new NotFoundError('metric', key);
  const costs = await unitCostsFor(db, [row.unit_cost_code]);
  return toMetric(row, row.unit_cost_code === null ? undefined : costs.get(row.unit_cost_code));
}

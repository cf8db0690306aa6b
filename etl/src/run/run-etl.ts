import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '@firstmile/schema';
import { contactFactsQuery, episodesQuery, factColumns, personKey } from './contact-facts.ts';
import { deleteOutcomes, insertOutcomes } from './outcomes.ts';
import { grainMonths, LOCAL_TIME_ZONE, monthIndexOfDate } from './periods.ts';
import { insertPlacePeriods, insertServicePeriods } from './system-periods.ts';

/** What the ETL's results depend on besides the data; a change means a full rebuild. */
export interface EtlSettings {
  /** Without a need_ref, an episode ends when this many days pass with no contact. */
  readonly episodeGapDays: number;
}
export const defaultEtlSettings: EtlSettings = Object.freeze({ episodeGapDays: 30 });

export interface EtlRunSummary {
  /** `nothing`: the queue was empty and the settings unchanged, so nothing was done. */
  mode: 'incremental' | 'full' | 'nothing';
  runId: number | null;
  /** Why a full rebuild ran when it was not asked for. */
  reason: string | null;
  queueEntries: number;
  projectPartitions: number;
  people: number;
  servicePartitions: number;
  placePartitions: number;
  rowsWritten: number;
  startedAt: Date;
  finishedAt: Date;
}

export interface EtlOptions {
  full?: boolean;
  settings?: EtlSettings;
  onProgress?: (phase: string, done: number, total: number) => void;
  /**
   * When the queued contact ranges cover more than this share of all contacts (a bulk load),
   * rebuilding everything is cheaper than working person by person.
   */
  bulkShare?: number;
  /** PostgreSQL work_mem for the run's transaction (default 256MB). */
  workMem?: string;
}

const STEPS = ['claim', 'outcomes', 'contacts', 'episodes', 'service periods', 'place periods', 'record'] as const;

/**
 * Brings the analytics tables up to date with the raw tables, in one transaction (readers see
 * the old figures or the new, never a mix), one run at a time (an advisory lock). It takes what
 * the triggers queued and recomputes only those partitions: (project, period) for outcomes; for
 * contacts, the people whose contacts changed, then only the (service, period) and
 * (place, period) partitions whose facts or episodes actually changed. `full` rebuilds all.
 */
export async function runEtl(db: Kysely<Database>, options: EtlOptions = {}): Promise<EtlRunSummary> {
  const settings = options.settings ?? defaultEtlSettings;
  const progress = (step: (typeof STEPS)[number]) => options.onProgress?.(step, STEPS.indexOf(step), STEPS.length);
  const startedAt = new Date();
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('firstmile_etl'))`.execute(trx);
    // Grouping a million contacts by person wants its hash tables in memory, not spilled to disk.
    await sql`SELECT set_config('work_mem', ${options.workMem ?? '256MB'}, true), set_config('maintenance_work_mem', ${options.workMem ?? '256MB'}, true)`.execute(trx);
    progress('claim');
    await sql`CREATE TEMP TABLE etl_claimed ON COMMIT DROP AS SELECT * FROM etl_queue WITH NO DATA`.execute(trx);
    const claimed = await exec(trx, sql`WITH d AS (DELETE FROM etl_queue RETURNING *) INSERT INTO etl_claimed SELECT * FROM d`);
    // So that a handful of queued id ranges are looked up by index, not by reading every contact.
    await sql`ANALYZE etl_claimed`.execute(trx);
    const reason = await fullRebuildReason(trx, settings, options, claimed);
    if (reason === null && claimed === 0) {
      return { ...emptySummary(startedAt), mode: 'nothing' as const, finishedAt: new Date() };
    }
    const runId = Number((await sql<{ id: string }>`SELECT nextval(pg_get_serial_sequence('etl_runs', 'id')) AS id`.execute(trx)).rows[0]!.id);
    const summary = reason === null
      ? await incremental(trx, runId, settings, progress)
      : await rebuild(trx, runId, settings, progress);
    await sql`DELETE FROM analytics_unlogged_witness`.execute(trx);
    await sql`INSERT INTO analytics_unlogged_witness VALUES (${runId})`.execute(trx);
    progress('record');
    const finishedAt = new Date();
    const result: EtlRunSummary = { ...summary, mode: reason === null ? 'incremental' : 'full', runId, reason, queueEntries: claimed, startedAt, finishedAt };
    await sql`
      INSERT INTO etl_runs (id, mode, started_at, finished_at, queue_entries, project_partitions, people,
                            service_partitions, place_partitions, rows_written, settings)
      OVERRIDING SYSTEM VALUE
      VALUES (${runId}, ${result.mode}, ${startedAt}, ${finishedAt}, ${claimed}, ${result.projectPartitions}, ${result.people},
              ${result.servicePartitions}, ${result.placePartitions}, ${result.rowsWritten},
              ${JSON.stringify({ ...settings, timeZone: LOCAL_TIME_ZONE, reason })}::jsonb)`.execute(trx);
    options.onProgress?.('done', STEPS.length, STEPS.length);
    return result;
  });
}

type Counts = Pick<EtlRunSummary, 'projectPartitions' | 'people' | 'servicePartitions' | 'placePartitions' | 'rowsWritten'>;
type Progress = (step: (typeof STEPS)[number]) => void;

function emptySummary(startedAt: Date): EtlRunSummary {
  return {
    mode: 'nothing', runId: null, reason: null, queueEntries: 0, projectPartitions: 0, people: 0,
    servicePartitions: 0, placePartitions: 0, rowsWritten: 0, startedAt, finishedAt: startedAt,
  };
}

async function exec(trx: Transaction<Database>, query: RawBuilder<unknown>): Promise<number> {
  return Number((await query.execute(trx)).numAffectedRows ?? 0);
}

async function fullRebuildReason(trx: Transaction<Database>, settings: EtlSettings, options: EtlOptions, claimed: number): Promise<string | null> {
  if (options.full) return 'asked for';
  const last = await trx.selectFrom('etl_runs').select('settings').orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (!last) return 'first run';
  const previous = last.settings as Record<string, unknown>;
  if (previous.episodeGapDays !== settings.episodeGapDays || previous.timeZone !== LOCAL_TIME_ZONE) return 'settings changed';
  // The facts are UNLOGGED (see the analytics migration): after a crash they come back empty,
  // and so does the witness row written with them.
  const witness = await trx.selectFrom('analytics_unlogged_witness').select('written_by_run').executeTakeFirst();
  if (!witness) return 'contact facts lost (unlogged tables are emptied after a crash)';
  if (claimed === 0) return null;
  const { rows } = await sql<{ full: boolean; ranged: string | null; contacts: number }>`
    SELECT bool_or(kind = 'full') AS full,
           sum(last_contact_id - first_contact_id + 1) FILTER (WHERE kind = 'contacts') AS ranged,
           (SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = 'contacts'::regclass) AS contacts
    FROM etl_claimed`.execute(trx);
  const row = rows[0]!;
  if (row.full) return 'queued';
  const ranged = Number(row.ranged ?? 0);
  if (ranged > 10_000 && ranged > (options.bulkShare ?? 0.25) * Number(row.contacts)) return 'bulk load';
  return null;
}

/** The fact and episode indexes, as the analytics migration made them; a rebuild remakes them. */
const rebuiltIndexes: ReadonlyArray<{ name: string; table: string; columns: string; primaryKey?: true }> = [
  { name: 'analytics_contact_facts_pkey', table: 'analytics_contact_facts', columns: '(contact_id)', primaryKey: true },
  { name: 'analytics_contact_facts_by_person', table: 'analytics_contact_facts', columns: '(person_key)' },
  { name: 'analytics_episodes_pkey', table: 'analytics_episodes', columns: '(episode_id)', primaryKey: true },
  { name: 'analytics_episodes_by_person', table: 'analytics_episodes', columns: '(person_key)' },
];

async function rebuild(trx: Transaction<Database>, runId: number, settings: EtlSettings, progress: Progress): Promise<Counts> {
  await sql`TRUNCATE analytics_outcomes, analytics_contact_facts, analytics_episodes, analytics_service_periods, analytics_place_periods`.execute(trx);
  // Building an index once over a million rows is cheaper than keeping it up to date row by row.
  for (const index of rebuiltIndexes) {
    if (index.primaryKey) await sql`ALTER TABLE ${sql.table(index.table)} DROP CONSTRAINT ${sql.id(index.name)}`.execute(trx);
    else await sql`DROP INDEX ${sql.id(index.name)}`.execute(trx);
  }
  progress('outcomes');
  let rows = await exec(trx, insertOutcomes(runId, null));
  const projectPartitions = await count(trx, sql`SELECT count(*) FROM (SELECT DISTINCT project_id, period_start, period_end FROM analytics_outcomes) p`);
  progress('contacts');
  rows += await exec(trx, sql`INSERT INTO analytics_contact_facts (${factColumns}) ${contactFactsQuery(settings.episodeGapDays, null)}`);
  const people = await count(trx, sql`SELECT count(*) FROM (SELECT person_key FROM analytics_contact_facts GROUP BY person_key) p`);
  progress('episodes');
  rows += await exec(trx, sql`INSERT INTO analytics_episodes ${episodesQuery(null)}`);
  for (const index of rebuiltIndexes) {
    if (index.primaryKey) await sql`ALTER TABLE ${sql.table(index.table)} ADD CONSTRAINT ${sql.id(index.name)} PRIMARY KEY ${sql.raw(index.columns)}`.execute(trx);
    else await sql`CREATE INDEX ${sql.id(index.name)} ON ${sql.table(index.table)} ${sql.raw(index.columns)}`.execute(trx);
  }
  progress('service periods');
  const servicePartitions = await exec(trx, insertServicePeriods(runId, null));
  progress('place periods');
  const placePartitions = await exec(trx, insertPlacePeriods(runId, null));
  rows += servicePartitions + placePartitions;
  await sql`ANALYZE analytics_contact_facts, analytics_episodes`.execute(trx);
  return { projectPartitions, people, servicePartitions, placePartitions, rowsWritten: rows };
}

/**
 * Keeps only what differs, by key, between recomputed rows (`fresh`) and stored ones
 * (`stored`): both versions go to `changed` (one side missing for added or removed rows), whose
 * partitions are then dirty, and the stored versions are replaced by the fresh. Returns the
 * rows written.
 */
async function replaceChanged(
  trx: Transaction<Database>,
  t: { table: string; key: string; columns: RawBuilder<unknown>; fresh: string; stored: string; changed: string },
): Promise<number> {
  const key = sql.ref(t.key);
  const fresh = sql.table(t.fresh);
  const stored = sql.table(t.stored);
  const changed = sql.table(t.changed);
  const table = sql.table(t.table);
  await sql`
    CREATE TEMP TABLE ${changed} ON COMMIT DROP AS
    WITH differing AS (
      SELECT coalesce(n.${key}, o.${key}) AS k
      FROM ${fresh} n FULL JOIN ${stored} o ON o.${key} = n.${key}
      WHERE ROW(n.*) IS DISTINCT FROM ROW(o.*))
    SELECT * FROM ${fresh} WHERE ${key} IN (SELECT k FROM differing)
    UNION ALL
    SELECT * FROM ${stored} WHERE ${key} IN (SELECT k FROM differing)`.execute(trx);
  // Temporary tables have no statistics until analysed; without them the planner guesses a
  // few dozen rows and sorts where it should hash.
  await sql`ANALYZE ${changed}`.execute(trx);
  await exec(trx, sql`DELETE FROM ${table} WHERE ${key} IN (SELECT ${key} FROM ${changed})`);
  return exec(trx, sql`INSERT INTO ${table} SELECT ${t.columns} FROM ${fresh} WHERE ${key} IN (SELECT ${key} FROM ${changed})`);
}

/** The period index (month_index ÷ months in the grain) of an aggregate row aliased `alias`. */
function periodIndexOf(alias: string): RawBuilder<number> {
  const grain = sql.ref(`${alias}.grain`);
  return sql<number>`${monthIndexOfDate(sql.ref(`${alias}.period_start`))} / (CASE ${grain} WHEN 'month' THEN 1 WHEN 'quarter' THEN 3 ELSE 12 END)`;
}

async function count(trx: Transaction<Database>, query: RawBuilder<unknown>): Promise<number> {
  const { rows } = await sql<{ count: string | number }>`${query}`.execute(trx);
  return Number(rows[0]?.count ?? 0);
}

async function incremental(trx: Transaction<Database>, runId: number, settings: EtlSettings, progress: Progress): Promise<Counts> {
  let rows = 0;

  progress('outcomes');
  await sql`
    CREATE TEMP TABLE etl_project_parts ON COMMIT DROP AS
    SELECT DISTINCT organisation_id, project_id, period_start, period_end
    FROM etl_claimed WHERE kind = 'project_period'`.execute(trx);
  const projectPartitions = await count(trx, sql`SELECT count(*) FROM etl_project_parts`);
  if (projectPartitions > 0) {
    await exec(trx, deleteOutcomes('etl_project_parts'));
    rows += await exec(trx, insertOutcomes(runId, 'etl_project_parts'));
  }

  progress('contacts');
  // The people whose contacts changed: found through the queued id ranges in the contacts
  // (new and updated rows) and in the facts (deleted rows, and a person_ref changed away).
  await sql`
    CREATE TEMP TABLE etl_people ON COMMIT DROP AS
    SELECT person_ref, ${personKey('person_ref')} AS person_key FROM (
      SELECT c.person_ref FROM etl_claimed q
        JOIN contacts c ON c.organisation_id = q.organisation_id AND c.id BETWEEN q.first_contact_id AND q.last_contact_id
        WHERE q.kind = 'contacts'
      UNION
      SELECT f.person_ref FROM etl_claimed q
        JOIN analytics_contact_facts f ON f.contact_id BETWEEN q.first_contact_id AND q.last_contact_id AND f.organisation_id = q.organisation_id
        WHERE q.kind = 'contacts'
      UNION
      SELECT c.person_ref FROM etl_claimed q
        JOIN contacts c ON c.organisation_id = q.organisation_id AND c.service_id = q.service_id
        WHERE q.kind = 'service'
      UNION
      SELECT f.person_ref FROM etl_claimed q
        JOIN analytics_contact_facts f ON f.organisation_id = q.organisation_id AND f.service_id = q.service_id
        WHERE q.kind = 'service'
    ) people`.execute(trx);
  const people = await count(trx, sql`SELECT count(*) FROM etl_people`);
  const servicesQueued = await count(trx, sql`SELECT count(*) FROM etl_claimed WHERE kind = 'service'`);
  if (people === 0 && servicesQueued === 0) return { projectPartitions, people, servicePartitions: 0, placePartitions: 0, rowsWritten: rows };
  await sql`ANALYZE etl_people`.execute(trx);

  // Recompute their facts, then keep only what differs from what is stored: a new contact
  // usually changes little, and unchanged facts dirty no partition.
  await sql`CREATE TEMP TABLE etl_new_facts ON COMMIT DROP AS ${contactFactsQuery(settings.episodeGapDays, 'etl_people')}`.execute(trx);
  await sql`ANALYZE etl_new_facts`.execute(trx);
  await sql`
    CREATE TEMP TABLE etl_old_facts ON COMMIT DROP AS
    SELECT f.* FROM etl_people p
    CROSS JOIN LATERAL (SELECT ${factColumns} FROM analytics_contact_facts WHERE person_key = p.person_key AND person_ref = p.person_ref OFFSET 0) f`.execute(trx);
  rows += await replaceChanged(trx, { table: 'analytics_contact_facts', key: 'contact_id', columns: factColumns, fresh: 'etl_new_facts', stored: 'etl_old_facts', changed: 'etl_changed_facts' });

  progress('episodes');
  await sql`CREATE TEMP TABLE etl_new_episodes ON COMMIT DROP AS ${episodesQuery('etl_people')}`.execute(trx);
  await sql`
    CREATE TEMP TABLE etl_old_episodes ON COMMIT DROP AS
    SELECT e.* FROM (SELECT DISTINCT person_key FROM etl_people) p
    CROSS JOIN LATERAL (SELECT * FROM analytics_episodes WHERE person_key = p.person_key OFFSET 0) e`.execute(trx);
  rows += await replaceChanged(trx, { table: 'analytics_episodes', key: 'episode_id', columns: sql`*`, fresh: 'etl_new_episodes', stored: 'etl_old_episodes', changed: 'etl_changed_episodes' });

  progress('service periods');
  await sql`
    CREATE TEMP TABLE etl_service_parts ON COMMIT DROP AS
    SELECT DISTINCT f.organisation_id, f.service_id, g.grain, f.month_index / g.months AS period_index
    FROM etl_changed_facts f CROSS JOIN ${grainMonths}
    -- A changed service (its project, say) rewrites every row of its own, facts changed or not.
    UNION
    SELECT a.organisation_id, a.service_id, a.grain, ${periodIndexOf('a')}
    FROM analytics_service_periods a
    JOIN etl_claimed q ON q.kind = 'service' AND q.organisation_id = a.organisation_id AND q.service_id = a.service_id`.execute(trx);
  await sql`ANALYZE etl_service_parts`.execute(trx);
  const servicePartitions = await count(trx, sql`SELECT count(*) FROM etl_service_parts`);
  await exec(trx, sql`
    DELETE FROM analytics_service_periods a USING etl_service_parts p
    WHERE a.organisation_id = p.organisation_id AND a.service_id = p.service_id AND a.grain = p.grain
      AND ${periodIndexOf('a')} = p.period_index`);
  rows += await exec(trx, insertServicePeriods(runId, 'etl_service_parts'));

  progress('place periods');
  await sql`
    CREATE TEMP TABLE etl_place_parts ON COMMIT DROP AS
    SELECT DISTINCT x.place_code, g.grain, x.month_index / g.months AS period_index
    FROM (
      SELECT place_code, month_index FROM etl_changed_facts
      UNION SELECT place_code, resolved_month_index FROM etl_changed_episodes WHERE resolved
    ) x CROSS JOIN ${grainMonths}`.execute(trx);
  await sql`ANALYZE etl_place_parts`.execute(trx);
  const placePartitions = await count(trx, sql`SELECT count(*) FROM etl_place_parts`);
  await exec(trx, sql`
    DELETE FROM analytics_place_periods a USING etl_place_parts p
    WHERE a.place_code = p.place_code AND a.grain = p.grain AND ${periodIndexOf('a')} = p.period_index`);
  rows += await exec(trx, insertPlacePeriods(runId, 'etl_place_parts'));

  return { projectPartitions, people, servicePartitions, placePartitions, rowsWritten: rows };
}

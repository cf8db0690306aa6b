import type { Database } from '@firstmile/schema';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import { copyContacts } from './copy-contacts.ts';
import { withIndexesDeferred } from './deferred-indexes.ts';
import { generatePeople } from './people.ts';
import { withRowSecurityLifted } from './row-security.ts';
import { buildSnapshots, type WorldSnapshots } from './snapshots.ts';
import { organisationBySlug, planWorld, type WorldPlan } from './world-plan.ts';
import {
  commissionerPlaceRow, fundingRow, observationRow, organisationRow, placeRow, projectRow, serviceRow, snapshotRow, storyRow,
} from './world-rows.ts';

export interface GenerateOptions {
  seed: number;
  people: number;
  /** First day of the first quarter (YYYY-MM-01); default 2024-04-01. */
  firstQuarter?: string;
  /** Number of quarters; default 8. */
  quarters?: number;
}

export interface GenerateProgress {
  phase: 'catalogue' | 'organisations' | 'snapshots' | 'contacts';
  done: number;
  total: number;
}

export interface GenerateSummary {
  seed: number;
  people: number;
  /** Rows written, per table, as the database counted them. */
  rows: Record<string, number>;
}

export interface GenerateHandle {
  db: Kysely<Database>;
  pool: pg.Pool;
}

/** How a world is loaded, never what it holds: benchmarks and tests may change it. */
export interface LoadTuning {
  /**
   * From this many people, when the contacts table is empty, its secondary indexes and
   * foreign keys are rebuilt after the COPY instead of updated row by row (about five times
   * faster). Below it, or into a table that already holds contacts, rows are checked as they go.
   */
  deferContactIndexesFrom: number;
  /** People per COPY chunk and per progress report. */
  chunkPeople: number;
}

export const defaultLoadTuning: Readonly<LoadTuning> = Object.freeze({ deferContactIndexesFrom: 20_000, chunkPeople: 2000 });

/** The world this seed makes is already in the database. */
export class WorldExistsError extends Error {
  override name = 'WorldExistsError';
}

/** A Kysely query built on `handle.db` and run on the transaction's own client. */
interface Compilable {
  compile(): { sql: string; parameters: readonly unknown[] };
}

async function run(client: pg.PoolClient, query: Compilable): Promise<pg.QueryResult> {
  const { sql, parameters } = query.compile();
  return client.query(sql, [...parameters]);
}

/** Inserts in statements of `size` rows (well under PostgreSQL's 65,535 parameters); returns rows written. */
async function insertAll<R>(
  client: pg.PoolClient, rows: readonly R[], build: (chunk: R[]) => Compilable, afterChunk: (rows: number) => void = () => {}, size = 500,
): Promise<number> {
  let written = 0;
  for (let i = 0; i < rows.length; i += size) {
    const result = await run(client, build(rows.slice(i, i + size)));
    written += result.rowCount ?? 0;
    afterChunk(result.rowCount ?? 0);
  }
  return written;
}

function checkOptions(options: GenerateOptions): void {
  if (!Number.isSafeInteger(options.seed)) throw new RangeError(`seed must be a whole number, not ${options.seed}`);
  if (!Number.isSafeInteger(options.people) || options.people < 0) {
    throw new RangeError(`people must be a whole number from 0, not ${options.people}`);
  }
}

interface Writer {
  client: pg.PoolClient;
  db: Kysely<Database>;
  onProgress: (p: GenerateProgress) => void;
}

/** Counts rows written in a phase and reports them as they go. */
function phaseCounter(w: Writer, phase: GenerateProgress['phase'], total: number): (rows: number) => void {
  let done = 0;
  w.onProgress({ phase, done, total });
  return (rows) => w.onProgress({ phase, done: (done += rows), total });
}

async function refuseIfLoaded(w: Writer, plan: WorldPlan): Promise<void> {
  const platform = organisationBySlug(plan, 'platform');
  const existing = await run(w.client, w.db.selectFrom('organisations').select('id').where('id', '=', platform.id));
  if (existing.rows.length > 0) {
    throw new WorldExistsError(`the demo world from seed ${plan.seed} is already loaded (organisation ${platform.id} exists)`);
  }
}

/** The metrics the snapshots use must already be in the catalogue; the places are added. */
async function writeCatalogue(w: Writer, plan: WorldPlan, reports: WorldSnapshots, rows: Record<string, number>): Promise<void> {
  const { client, db } = w;
  const step = phaseCounter(w, 'catalogue', plan.places.length);
  const metricKeys = [...new Set(reports.observations.map((o) => o.metricKey))].sort();
  const known = await run(client, db.selectFrom('metrics').select('key').where('key', 'in', metricKeys));
  const knownKeys = new Set(known.rows.map((r: { key: string }) => r.key));
  const missing = metricKeys.filter((k) => !knownKeys.has(k));
  if (missing.length > 0) throw new Error(`the metric catalogue lacks ${missing.join(', ')}: is the database migrated?`);
  // Places may already be named by an earlier world or by hand; they are shared, not owned.
  rows.places = await insertAll(client, plan.places.map(placeRow), (c) =>
    db.insertInto('places').values(c).onConflict((oc) => oc.column('code').doNothing()));
  step(plan.places.length);
}

async function writeOrganisations(w: Writer, plan: WorldPlan, rows: Record<string, number>): Promise<void> {
  const { client, db } = w;
  const step = phaseCounter(w, 'organisations',
    plan.organisations.length + plan.commissionerPlaces.length + plan.projects.length + plan.funding.length + plan.services.length);
  rows.organisations = await insertAll(client, plan.organisations.map(organisationRow), (c) => db.insertInto('organisations').values(c), step);
  rows.commissioner_places = await insertAll(client, plan.commissionerPlaces.map(commissionerPlaceRow), (c) => db.insertInto('commissioner_places').values(c), step);
  rows.projects = await insertAll(client, plan.projects.map(projectRow), (c) => db.insertInto('projects').values(c), step);
  rows.funding = await insertAll(client, plan.funding.map(fundingRow), (c) => db.insertInto('funding').values(c), step);
  rows.services = await insertAll(client, plan.services.map(serviceRow), (c) => db.insertInto('services').values(c), step);
}

async function writeSnapshots(w: Writer, reports: WorldSnapshots, rows: Record<string, number>): Promise<void> {
  const { client, db } = w;
  const step = phaseCounter(w, 'snapshots', reports.snapshots.length + reports.observations.length + reports.stories.length);
  rows.snapshots = await insertAll(client, reports.snapshots.map(snapshotRow), (c) => db.insertInto('snapshots').values(c), step);
  rows.observations = await insertAll(client, reports.observations.map(observationRow), (c) => db.insertInto('observations').values(c), step);
  rows.stories = await insertAll(client, reports.stories.map(storyRow), (c) => db.insertInto('stories').values(c), step);
}

async function writeContacts(w: Writer, plan: WorldPlan, people: number, tuning: LoadTuning, rows: Record<string, number>): Promise<void> {
  const { client } = w;
  w.onProgress({ phase: 'contacts', done: 0, total: people });
  const copy = () => copyContacts(client, generatePeople(plan, { people }), {
    chunkPeople: tuning.chunkPeople,
    onChunk: (p) => {
      // The last report waits until the contacts are complete, rebuilt indexes included.
      if (p.people < people) w.onProgress({ phase: 'contacts', done: p.people, total: people });
    },
  });
  const empty = (await client.query<{ empty: boolean }>('SELECT NOT EXISTS (SELECT 1 FROM contacts) AS empty')).rows[0]?.empty === true;
  const defer = empty && people >= tuning.deferContactIndexesFrom;
  const copied = await withRowSecurityLifted(client, 'contacts', () => (defer ? withIndexesDeferred(client, 'contacts', copy) : copy()));
  rows.contacts = copied.contacts;
  w.onProgress({ phase: 'contacts', done: people, total: people });
}

/**
 * Loads a whole demo world — places, organisations, projects, funding, services, quarterly
 * snapshots with observations and stories, and every person's contacts — in one
 * transaction: it is all there afterwards, or none of it is. Contacts stream through COPY,
 * so memory stays flat for millions of people.
 */
export async function generateWorld(
  handle: GenerateHandle, options: GenerateOptions, onProgress: (p: GenerateProgress) => void = () => {},
  tuning: Partial<LoadTuning> = {},
): Promise<GenerateSummary> {
  checkOptions(options);
  const load: LoadTuning = { ...defaultLoadTuning, ...tuning };
  const { seed, people } = options;
  const plan = planWorld(seed, { firstQuarter: options.firstQuarter, quarters: options.quarters });
  const reports = buildSnapshots(plan);
  const rows: Record<string, number> = {};

  const client = await handle.pool.connect();
  const writer: Writer = { client, db: handle.db, onProgress };
  let clientBroken = false;
  try {
    await client.query('BEGIN');
    try {
      await refuseIfLoaded(writer, plan);
      await writeCatalogue(writer, plan, reports, rows);
      await writeOrganisations(writer, plan, rows);
      await writeSnapshots(writer, reports, rows);
      await writeContacts(writer, plan, people, load, rows);
      await client.query('COMMIT');
    } catch (error) {
      // A connection that cannot even roll back is not handed back to the pool.
      await client.query('ROLLBACK').catch(() => (clientBroken = true));
      throw error;
    }
  } finally {
    client.release(clientBroken);
  }
  return { seed, people, rows };
}

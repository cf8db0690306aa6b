import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Kysely, PostgresDialect, sql, type PostgresPool, type PostgresPoolClient } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import {
  ContactCreate, MAX_LISTED_CONTACT_REJECTIONS, validationDetails,
  type ContactImportReport, type ContactRejection, type Database,
} from '@firstmile/schema';
import { copyTextField } from '@firstmile/etl';
import { recordAudit, type AuditActor } from '../audit.ts';
import { ValidationError, type ProblemDetail } from '../errors.ts';
import type { Pseudonymiser } from './pseudonymiser.ts';
import type { ContactUploadFormat, RawContactRow, RowProblem } from './rows.ts';

/** Who imports: a key's actor, or the command line acting for one organisation (no key). */
export type ContactImportActor = AuditActor;

export interface ContactImportProgress {
  /** Rows read so far. */
  rows: number;
  rejected: number;
}

export interface ImportContactsOptions {
  pool: pg.Pool;
  actor: ContactImportActor;
  pseudonymiser: Pseudonymiser;
  /** Pulled one at a time, only as fast as PostgreSQL takes them: never collected. */
  rows: AsyncIterable<RawContactRow> | Iterable<RawContactRow>;
  /** Store nothing if any row is rejected. */
  atomic: boolean;
  /** Named in the audit log and used for the paths of a refusal's details. */
  format: ContactUploadFormat;
  onProgress?: (progress: ContactImportProgress) => void;
  /**
   * Run as the confined request role under row-level security (the default). Tests turn it
   * off, as for requests, to show the application's own checks hold alone.
   */
  rowLevelSecurity?: boolean;
  /** Good rows an upload may hold and still skip the staging table (default SMALL_UPLOAD_ROWS; tests set 0). */
  smallUploadRows?: number;
}

/**
 * An import refused as a whole (nothing stored): `atomic` with a bad row, or no good row at
 * all. A 422 whose details are the rejections; `report` has the counts, for the command line.
 */
export class ContactImportRefused extends ValidationError {
  constructor(readonly report: ContactImportReport, problems: ProblemDetail[], message: string) {
    super(problems, message);
  }
}

/** Rows per COPY message: large enough to keep the socket busy, small enough to stay flat. */
const ROWS_PER_CHUNK = 2000;
/** Uploads of at most this many good rows are inserted from parameters, without staging. */
export const SMALL_UPLOAD_ROWS = 1000;

const stagingColumns = [
  'service_id', 'person_ref', 'need_ref', 'occurred_at', 'minutes', 'cost_gbp', 'channel', 'outcome', 'source_contact_id',
] as const;

/** Kysely on one already-checked-out client, so typed queries join the import's transaction. */
function kyselyOn(client: pg.PoolClient): Kysely<Database> {
  const borrowed: PostgresPoolClient = {
    query: client.query.bind(client) as PostgresPoolClient['query'],
    release: () => {},
  };
  const pool: PostgresPool = { connect: async () => borrowed, end: async () => {} };
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

function pathOf(format: ContactUploadFormat, line: number, field: string): string {
  const row = format === 'json' ? `contacts[${line - 1}]` : format === 'arrow' ? `rows[${line}]` : `lines[${line}]`;
  if (field === '') return row;
  return field.startsWith('[') ? `${row}${field}` : `${row}.${field}`;
}

/** Counts and the first problems, kept as the rows stream past. */
class Tally {
  rows = 0;
  rejected = 0;
  valid = 0;
  problems = 0;
  readonly rejections: ContactRejection[] = [];

  reject(line: number, problems: readonly RowProblem[]): void {
    this.rejected++;
    for (const p of problems) {
      this.problems++;
      if (this.rejections.length < MAX_LISTED_CONTACT_REJECTIONS) this.rejections.push({ line, field: p.field, reason: p.reason });
    }
  }

  /** `accepted` null: nothing was stored, so no good row was counted either way. */
  report(accepted: number | null): ContactImportReport {
    return {
      rows_received: this.rows,
      accepted: accepted ?? 0,
      duplicates: accepted === null ? 0 : this.valid - accepted,
      rejected: this.rejected,
      rejections: this.rejections,
    };
  }
}

/** A checked row, its person pseudonymised, in the staging table's column order. */
type StagedRow = [
  serviceId: string, personRef: string, needRef: string | null, occurredAt: string, minutes: number,
  costGbp: number | null, channel: string, outcome: string, sourceContactId: string | null,
];

interface RowChecker {
  (fields: unknown): StagedRow | RowProblem[];
}

/**
 * One row: the contract (ContactCreate), then the organisation's services, then the person,
 * pseudonymised here when raw. Problems never quote the value sent.
 */
function rowChecker(services: ReadonlyMap<string, boolean>, pseudonymiser: Pseudonymiser, organisationId: string): RowChecker {
  const pseudonym = pseudonymiser.unavailable === null ? pseudonymiser.forOrganisation(organisationId) : null;
  return function checkRow(fields) {
    const parsed = ContactCreate.safeParse(fields);
    if (!parsed.success) return validationDetails(parsed.error).map((d) => ({ field: d.path, reason: d.message }));
    const c = parsed.data;
    const problems: RowProblem[] = [];
    const serviceId = c.service_id.toLowerCase();
    const archived = services.get(serviceId);
    if (archived === undefined) problems.push({ field: 'service_id', reason: 'is not a service of your organisation' });
    else if (archived) problems.push({ field: 'service_id', reason: 'the service is archived and takes no new contacts' });
    if (c.person_id !== undefined && pseudonym === null) problems.push({ field: 'person_id', reason: pseudonymiser.unavailable! });
    if (problems.length > 0) return problems;
    const personRef = c.person_id !== undefined ? pseudonym!(c.person_id) : c.person_ref!;
    return [
      serviceId, personRef, c.need_ref ?? null, c.occurred_at, c.minutes, c.cost_gbp ?? null, c.channel, c.outcome, c.source_contact_id ?? null,
    ];
  };
}

/** One staged row as a line of COPY text. */
function copyLine([serviceId, personRef, needRef, occurredAt, minutes, costGbp, channel, outcome, sourceContactId]: StagedRow): string {
  const text = (value: string | null) => (value === null ? '\\N' : copyTextField(value));
  return `${serviceId}\t${text(personRef)}\t${text(needRef)}\t${occurredAt}\t${minutes}\t${costGbp === null ? '\\N' : String(costGbp)}\t${channel}\t${outcome}\t${text(sourceContactId)}\n`;
}

/** The accepted rows, one at a time, counting every row (and reporting progress) as it passes. */
async function* acceptedRows(
  rows: AsyncIterable<RawContactRow> | Iterable<RawContactRow>,
  check: RowChecker,
  tally: Tally,
  onProgress: (progress: ContactImportProgress) => void,
): AsyncGenerator<StagedRow> {
  let sinceReport = 0;
  for await (const row of rows) {
    tally.rows++;
    if (++sinceReport === ROWS_PER_CHUNK) {
      sinceReport = 0;
      onProgress({ rows: tally.rows, rejected: tally.rejected });
    }
    const checked = 'unreadable' in row ? row.unreadable : check(row.fields);
    if (isStaged(checked)) {
      tally.valid++;
      yield checked;
    } else {
      tally.reject(row.line, checked);
    }
  }
  onProgress({ rows: tally.rows, rejected: tally.rejected });
}

function isStaged(checked: StagedRow | readonly RowProblem[]): checked is StagedRow {
  return typeof checked[0] === 'string';
}

/** COPY text in chunks: the rows already read, then the rest as they come. */
async function* copyChunks(first: readonly StagedRow[], rest: AsyncIterator<StagedRow>): AsyncGenerator<string> {
  let lines: string[] = first.map(copyLine);
  for (let next = await rest.next(); !next.done; next = await rest.next()) {
    lines.push(copyLine(next.value));
    if (lines.length >= ROWS_PER_CHUNK) {
      yield lines.join('');
      lines = [];
    }
  }
  if (lines.length > 0) yield lines.join('');
}

function refusal(tally: Tally, format: ContactUploadFormat, message: string): ContactImportRefused {
  const details: ProblemDetail[] = tally.rejections.map((r) => ({ path: pathOf(format, r.line, r.field), message: r.reason }));
  const left = tally.problems - tally.rejections.length;
  if (left > 0) details.push({ path: '', message: `${left} more ${left === 1 ? 'problem' : 'problems'} not listed` });
  if (details.length === 0) details.push({ path: '', message });
  return new ContactImportRefused(tally.report(null), details, message);
}

/**
 * Streams the rows into a temporary staging table with COPY, pulled only as fast as
 * PostgreSQL takes them. PostgreSQL refuses COPY FROM into a table under forced row-level
 * security, hence the staging table; it goes when the transaction ends.
 */
async function stage(client: pg.PoolClient, db: Kysely<Database>, chunks: AsyncGenerator<string>): Promise<void> {
  await sql`
    CREATE TEMPORARY TABLE contact_staging (
      service_id uuid NOT NULL,
      person_ref text NOT NULL,
      need_ref text,
      occurred_at timestamptz NOT NULL,
      minutes integer NOT NULL,
      cost_gbp numeric(12, 2),
      channel text NOT NULL,
      outcome text NOT NULL,
      source_contact_id text
    ) ON COMMIT DROP
  `.execute(db);
  const copy = client.query(copyFrom(`COPY pg_temp.contact_staging (${stagingColumns.join(', ')}) FROM STDIN (FORMAT text)`));
  try {
    // A small buffer: rows are read and checked while PostgreSQL writes, and no further ahead.
    await pipeline(Readable.from(chunks, { highWaterMark: 2 }), copy);
  } catch (error) {
    // COPY was aborted (CopyFail) or the connection broke: the client is not trusted again.
    throw new BrokenClient(error);
  }
}

/** Wraps a failure that leaves the client in a state not worth reusing. */
class BrokenClient extends Error {
  constructor(readonly original: unknown) {
    super('the import client is broken');
  }
}

/**
 * Imports contacts for the actor's organisation, from any number of rows, in one transaction
 * on one client of its own, confined like a request (`firstmile_app`, the organisation and
 * role set for row-level security):
 *
 * 1. each row is checked (the contract; a service of the organisation, not archived) and a
 *    raw `person_id` replaced by its pseudonym, so no raw identifier is ever sent to the
 *    database;
 * 2. good rows are streamed with `COPY … FROM STDIN` into a temporary staging table, pulled
 *    from the source only as fast as PostgreSQL takes them (PostgreSQL refuses COPY FROM into
 *    a table under forced row-level security, hence the staging table); an upload of at most
 *    SMALL_UPLOAD_ROWS good rows skips this and is inserted from array parameters;
 * 3. one `INSERT … SELECT … ON CONFLICT ON CONSTRAINT contacts_natural_key DO NOTHING` moves them
 *    into `contacts`: a row already stored, by an earlier import or earlier in this one, is a
 *    duplicate and stays as it was (within one upload, the first of two equal rows is kept only
 *    as far as PostgreSQL reads the staging table in order, which it does for a plain scan);
 * 4. an audit row with the counts (never an identifier) is written, and the transaction commits.
 *
 * Bad rows are reported and never stop good ones, unless `atomic`: then any bad row stores
 * nothing. An upload with no row, or no good row, stores nothing either; both are refusals.
 * Memory stays flat whatever the number of rows: only counts, the first 100 problems and at most
 * SMALL_UPLOAD_ROWS rows are held.
 */
export async function importContacts(options: ImportContactsOptions): Promise<ContactImportReport> {
  const { pool, actor, pseudonymiser, rows, atomic, format, onProgress = () => {}, rowLevelSecurity = true, smallUploadRows = SMALL_UPLOAD_ROWS } = options;
  const organisationId = actor.organisationId;
  const client = await pool.connect();
  let reusable = true;
  try {
    await client.query('BEGIN');
    const db = kyselyOn(client);
    if (rowLevelSecurity) await sql`SET LOCAL ROLE firstmile_app`.execute(db);
    // No statement timeout: a COPY lasts as long as the upload does.
    await sql`
      SELECT set_config('app.organisation_id', ${organisationId}, true),
             set_config('app.role', ${actor.role}, true),
             set_config('statement_timeout', '0', true)
    `.execute(db);

    const services = await db.selectFrom('services').select(['id', 'archived_at']).where('organisation_id', '=', organisationId).execute();
    const check = rowChecker(new Map(services.map((s) => [s.id.toLowerCase(), s.archived_at !== null])), pseudonymiser, organisationId);

    const tally = new Tally();
    const accepted = acceptedRows(rows, check, tally, onProgress);
    // Read up to SMALL_UPLOAD_ROWS good rows first: an upload that ends within them (every JSON
    // batch of that size, and any refused upload) is inserted straight from parameters, with no
    // staging table to create (temporary tables churn the system catalogues) and no COPY.
    const first: StagedRow[] = [];
    let next = await accepted.next();
    while (!next.done && first.length < smallUploadRows) {
      first.push(next.value);
      next = await accepted.next();
    }
    const staged = !next.done;
    if (staged) {
      first.push(next.value);
      await stage(client, db, copyChunks(first, accepted));
      first.length = 0;
    }

    if (tally.rows === 0) throw new ValidationError([{ path: '', message: 'the upload holds no contacts' }], 'the upload holds no contacts');
    if (atomic && tally.rejected > 0) {
      throw refusal(tally, format, `${tally.rejected} of ${tally.rows} rows were rejected; with atomic=true nothing was stored`);
    }
    if (tally.valid === 0) throw refusal(tally, format, `none of the ${tally.rows} rows could be accepted; nothing was stored`);

    const columns = sql.raw(stagingColumns.join(', '));
    const source = staged
      ? sql`pg_temp.contact_staging`
      : sql`unnest(${first.map((r) => r[0])}::uuid[], ${first.map((r) => r[1])}::text[], ${first.map((r) => r[2])}::text[],
          ${first.map((r) => r[3])}::timestamptz[], ${first.map((r) => r[4])}::integer[], ${first.map((r) => r[5])}::numeric[],
          ${first.map((r) => r[6])}::text[], ${first.map((r) => r[7])}::text[], ${first.map((r) => r[8])}::text[]) AS u (${columns})`;
    const inserted = await sql`
      INSERT INTO contacts (organisation_id, ${columns})
      SELECT ${organisationId}::uuid, ${columns} FROM ${source}
      ON CONFLICT ON CONSTRAINT contacts_natural_key DO NOTHING
    `.execute(db);
    const report = tally.report(Number(inserted.numAffectedRows ?? 0n));
    await recordAudit(db, actor, {
      action: 'contacts.import',
      entity: 'contact',
      organisationId,
      details: {
        format,
        atomic,
        rows_received: report.rows_received,
        accepted: report.accepted,
        duplicates: report.duplicates,
        rejected: report.rejected,
      },
    });
    await client.query('COMMIT');
    return report;
  } catch (caught) {
    let error = caught;
    if (caught instanceof BrokenClient) {
      reusable = false;
      error = caught.original;
    }
    if (reusable) {
      try {
        await client.query('ROLLBACK');
      } catch {
        reusable = false;
      }
    }
    throw error;
  } finally {
    client.release(reusable ? undefined : true);
  }
}

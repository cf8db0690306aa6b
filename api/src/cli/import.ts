import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import cliProgress from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { openDatabase, type Config, type ContactImportReport } from '@firstmile/schema';
import { ContactImportRefused, importContacts, readContactRows, type ContactFileFormat, type ContactImportActor } from '../domain/contacts/index.ts';
import { DomainError } from '../domain/errors.ts';
import { loadPseudonymiser } from './pseudonym-key.ts';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const fileFormats: readonly ContactFileFormat[] = ['csv', 'ndjson', 'arrow'];

/** What a file's name says it holds; the Arrow IPC *stream* format, whatever its extension. */
const formatByExtension: Readonly<Record<string, ContactFileFormat>> = {
  '.csv': 'csv',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.arrow': 'arrow',
  '.arrows': 'arrow',
  '.ipc': 'arrow',
};

function formatArgument(raw: string): ContactFileFormat {
  const format = fileFormats.find((f) => f === raw.toLowerCase());
  if (!format) throw new InvalidArgumentError(`must be one of ${fileFormats.join(', ')}`);
  return format;
}

function organisationArgument(raw: string): string {
  if (!uuidPattern.test(raw)) throw new InvalidArgumentError('must be an organisation id (a UUID)');
  return raw.toLowerCase();
}

export function formatOfFile(file: string): ContactFileFormat | null {
  return formatByExtension[path.extname(file).toLowerCase()] ?? null;
}

const count = (n: number) => n.toLocaleString('en-GB');

export interface ImportProgress {
  update(progress: { rows: number; rejected: number; bytes: number }): void;
  stop(): void;
}

/**
 * Rows read, rows a second and rows rejected, against the share of the file read: a bar on
 * a terminal; on a pipe (CI, logs) a line every tenth of the file.
 */
export function importProgress(totalBytes: number, stream: NodeJS.WriteStream = process.stderr): ImportProgress {
  const started = performance.now();
  const rate = (rows: number) => {
    const seconds = (performance.now() - started) / 1000;
    return seconds > 0 ? Math.round(rows / seconds) : 0;
  };
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: 'contacts {bar} {percentage}% | {rows} rows | {speed} rows/s | {rejected} rejected | eta {eta_formatted}',
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(Math.max(totalBytes, 1), 0, { rows: '0', speed: '0', rejected: '0' });
    return {
      update: ({ rows, rejected, bytes }) => bar.update(Math.min(bytes, totalBytes), { rows: count(rows), speed: count(rate(rows)), rejected: count(rejected) }),
      stop: () => bar.stop(),
    };
  }
  let lastTenth = 0;
  let last = { rows: 0, rejected: 0, bytes: 0 };
  const line = ({ rows, rejected, bytes }: typeof last) => {
    const percent = totalBytes > 0 ? Math.floor((bytes / totalBytes) * 100) : 100;
    stream.write(`contacts: ${count(rows)} rows read (${percent}% of the file), ${count(rate(rows))} rows/s, ${count(rejected)} rejected\n`);
  };
  return {
    update(progress) {
      last = progress;
      const tenth = totalBytes > 0 ? Math.floor((progress.bytes / totalBytes) * 10) : 10;
      if (tenth > lastTenth && tenth < 10) {
        lastTenth = tenth;
        line(progress);
      }
    },
    stop: () => line(last),
  };
}

/** The report on stdout: counts, then the first rejections with their line, field and reason. */
export function printImportReport(report: ContactImportReport, out: (line: string) => void = console.log): void {
  const rows: [string, number][] = [
    ['rows received', report.rows_received],
    ['accepted', report.accepted],
    ['duplicates', report.duplicates],
    ['rejected', report.rejected],
  ];
  const width = Math.max(...rows.map(([, n]) => count(n).length));
  for (const [label, n] of rows) out(`  ${label.padEnd(14)} ${count(n).padStart(width)}`);
  if (report.rejections.length === 0) return;
  out(`first rejections (${report.rejections.length} listed; a row with two problems appears twice):`);
  const lineWidth = Math.max(...report.rejections.map((r) => String(r.line).length));
  for (const r of report.rejections) {
    out(`  line ${String(r.line).padStart(lineWidth)}  ${r.field === '' ? '(row)' : r.field}: ${r.reason}`);
  }
}

/**
 * The organisation's import actor: the command line acts as the deployment for that
 * organisation, with a submitter's rights and no key (the audit log shows no key id).
 */
async function importActor(config: Config, handle: Awaited<ReturnType<typeof openDatabase>>, organisationId: string, fail: (message: string) => never): Promise<ContactImportActor> {
  const organisation = await handle.db
    .selectFrom('organisations')
    .select(['id', 'name', 'kind', 'archived_at'])
    .where('id', '=', organisationId)
    .executeTakeFirst();
  if (!organisation) fail(`no organisation ${organisationId} in ${handle.kind === 'embedded' ? config.dataDir : handle.location}`);
  if (organisation.archived_at !== null) fail(`organisation ${organisation.name} (${organisation.id}) is archived`);
  if (organisation.kind !== 'provider') {
    fail(`contacts are imported for a provider organisation; ${organisation.name} (${organisation.id}) is a ${organisation.kind}`);
  }
  return { organisationId: organisation.id, role: 'submitter', keyId: null };
}

interface ImportContactsCliOptions {
  org: string;
  format?: ContactFileFormat;
  atomic: boolean;
  dataDir?: string;
}

export function importCommand(configFor: (options: { dataDir?: string }) => Config, fail: (message: string) => never): Command {
  const command = new Command('import').description('import data from files');
  command
    .command('contacts')
    .description(
      'stream contacts from a CSV, NDJSON or Arrow IPC stream file into the database for one provider organisation, ' +
        'as POST /v1/contacts:import does: raw person_id values are pseudonymised, duplicates are skipped, bad rows reported',
    )
    .argument('<file>', 'the file; read as it goes, never whole')
    .requiredOption('--org <organisationId>', 'the provider organisation the contacts belong to', organisationArgument)
    .option('--format <format>', `${fileFormats.join(', ')} (default: from the file extension)`, formatArgument)
    .option('--atomic', 'store nothing if any row is rejected (and exit 1)', false)
    .option('--data-dir <dir>', 'folder for the embedded database (ignored when DATABASE_URL is set)')
    .addHelpText('after', '\nThe exit status is 1 when nothing was stored: --atomic and a row was rejected, no good row, or the file unusable.')
    .action(async (file: string, options: ImportContactsCliOptions) => {
      const format = options.format ?? formatOfFile(file);
      if (format === null) fail(`cannot tell the format of ${file} from its extension; give --format ${fileFormats.join('|')}`);
      let size: number;
      try {
        const info = await stat(file);
        if (!info.isFile()) fail(`${file} is not a file`);
        size = info.size;
      } catch (error) {
        if (error instanceof Error && 'code' in error) fail(`cannot read ${file} (${String(error.code)})`);
        throw error;
      }

      const config = configFor(options);
      // Before the database: a missing or bad key stops here, as it stops the server.
      const key = await loadPseudonymiser(config);
      for (const note of key.notes) console.error(note);
      if (key.warning) console.error(`warning: ${key.warning}`);

      const handle = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
      for (const note of handle.notes) console.error(`database: ${note}`);
      try {
        const actor = await importActor(config, handle, options.org, fail);
        const input = createReadStream(file, { highWaterMark: 256 * 1024 });
        const progress = importProgress(size);
        const started = performance.now();
        let report: ContactImportReport;
        try {
          report = await importContacts({
            pool: handle.pool,
            actor,
            pseudonymiser: key.pseudonymiser,
            rows: readContactRows(format, input),
            atomic: options.atomic,
            format,
            onProgress: (p) => progress.update({ ...p, bytes: input.bytesRead }),
          });
        } catch (error) {
          if (error instanceof ContactImportRefused) {
            progress.stop();
            console.log(`nothing was stored from ${file} (${format}):`);
            printImportReport(error.report);
            fail(error.message);
          }
          if (error instanceof DomainError) {
            progress.stop();
            const details = Array.isArray(error.details)
              ? error.details.map((d: unknown) => (typeof d === 'object' && d !== null && 'message' in d ? `\n  ${String(d.message)}` : '')).join('')
              : '';
            fail(`${error.message}${details}`);
          }
          throw error;
        } finally {
          input.destroy();
        }
        progress.stop();
        const seconds = (performance.now() - started) / 1000;
        console.log(`imported ${file} (${format}) in ${seconds.toFixed(1)} s, ${count(Math.round(report.rows_received / Math.max(seconds, 0.001)))} rows/s:`);
        printImportReport(report);
      } finally {
        await handle.close();
      }
    });
  return command;
}

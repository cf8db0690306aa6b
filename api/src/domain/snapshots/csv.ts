import { CsvError, parse } from 'csv-parse';
import {
  IsoDateString, MAX_OBSERVATIONS, ObservationInput, formatPath, snapshotCsvColumns,
  type ImportRejected, type SnapshotCsvColumn,
} from '@firstmile/schema';
import type { z } from 'zod';
import { ValidationError } from '../errors.ts';
import { catalogueProblems, type CatalogueMetric } from './catalogue.ts';

/** One accepted row: a figure for one metric in one period. */
export interface CsvObservation {
  line: number;
  period_start: string;
  period_end: string;
  observation: ObservationInput;
}

export interface ParsedCsv {
  observations: CsvObservation[];
  /** One entry per problem, in line order. */
  rejected: ImportRejected[];
}

const required: readonly SnapshotCsvColumn[] = ['period_start', 'period_end', 'metric_key'];
const known: ReadonlySet<string> = new Set(snapshotCsvColumns);
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

interface RawRecord {
  line: number;
  cells: string[];
}

/**
 * Every record of the file with the line it starts on (the header is line 1). Line endings are
 * normalised first so that a quoted field's line breaks count the same way whatever the file
 * used. An unreadable stretch (a quote never closed) ends the file there: the records before it
 * are kept, and the failure is reported at the line where its record starts.
 */
async function readRecords(text: string): Promise<{ records: RawRecord[]; failure: ImportRejected | null }> {
  const records: RawRecord[] = [];
  let lastLine = 0;
  let lastEmptyLines = 0;
  return new Promise((resolve, reject) => {
    const parser = parse({ bom: true, info: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true });
    parser.on('data', ({ record, info }: { record: string[]; info: { lines: number; empty_lines: number } }) => {
      const breaks = record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
      records.push({ line: info.lines - breaks, cells: record });
      lastLine = info.lines;
      lastEmptyLines = info.empty_lines;
    });
    parser.on('error', (error: unknown) => {
      if (!(error instanceof CsvError)) return reject(error);
      // The error carries the parser's counters at the point it failed.
      const emptyLines = (error as CsvError & { empty_lines?: number }).empty_lines ?? lastEmptyLines;
      const line = lastLine + 1 + Math.max(0, emptyLines - lastEmptyLines);
      // csv-parse names the line where it gave up; the reader wants the one the quote opened on.
      const reason = error.code === 'CSV_QUOTE_NOT_CLOSED'
        ? 'a quoted field that starts on this line is never closed, so the file cannot be read from here on'
        : `the file cannot be read from this line on: ${error.message}`;
      resolve({ records, failure: { line, field: '', reason } });
    });
    parser.on('end', () => resolve({ records, failure: null }));
    parser.end(text.replace(/\r\n?/g, '\n'));
  });
}

/** Which column holds what; a file may leave optional columns out and order them freely. */
function readHeader(record: RawRecord | undefined): Map<SnapshotCsvColumn, number> {
  const headerProblem = (message: string) => new ValidationError([{ path: `lines[${record?.line ?? 1}]`, message }], 'the CSV header is not usable');
  if (record === undefined) throw headerProblem(`the file is empty; its first line must name the columns: ${snapshotCsvColumns.join(',')}`);
  const columns = new Map<SnapshotCsvColumn, number>();
  const problems: string[] = [];
  record.cells.forEach((raw, index) => {
    const name = raw.trim().toLowerCase();
    if (!known.has(name)) problems.push(`unknown column "${raw}"`);
    else if (columns.has(name as SnapshotCsvColumn)) problems.push(`column "${name}" appears twice`);
    else columns.set(name as SnapshotCsvColumn, index);
  });
  for (const column of required) if (!columns.has(column)) problems.push(`column "${column}" is missing`);
  if (!columns.has('value') && !columns.has('numerator')) problems.push('give a "value" column, or "numerator" and "denominator" columns');
  if (problems.length > 0) throw headerProblem(`${problems.join('; ')}. The columns are: ${snapshotCsvColumns.join(',')}`);
  return columns;
}

/** Where a problem in the observation shape sits in the file. */
function columnOf(path: readonly PropertyKey[]): string {
  if (path[0] === 'comparator') {
    const field = path[1];
    return field === 'value' || field === 'kind' || field === 'source' ? `comparator_${field}` : 'comparator_value';
  }
  return path.length === 0 ? '' : formatPath(path);
}

function messagesOf(error: z.core.$ZodError): Array<{ path: readonly PropertyKey[]; message: string }> {
  return error.issues.map((issue) => ({ path: issue.path, message: issue.message }));
}

/**
 * One row checked on its own, then against the catalogue: either an observation for its period,
 * or the reasons it was refused, each naming its column.
 */
function checkRow(
  line: number,
  cell: (column: SnapshotCsvColumn) => string | undefined,
  catalogue: ReadonlyMap<string, CatalogueMetric>,
): { accepted: CsvObservation } | { rejected: ImportRejected[] } {
  const rejected: ImportRejected[] = [];
  const refuse = (field: string, reason: string) => rejected.push({ line, field, reason });

  const dates: Partial<Record<'period_start' | 'period_end', string>> = {};
  for (const column of ['period_start', 'period_end'] as const) {
    const given = cell(column);
    if (given === undefined) {
      refuse(column, 'is required');
      continue;
    }
    const parsed = IsoDateString.safeParse(given);
    if (parsed.success) dates[column] = parsed.data;
    else refuse(column, parsed.error.issues[0]?.message ?? 'is not a date');
  }
  if (dates.period_start !== undefined && dates.period_end !== undefined && dates.period_end < dates.period_start) {
    refuse('period_end', 'must not be before period_start');
  }

  const numbers: Partial<Record<'value' | 'numerator' | 'denominator' | 'comparator_value', number>> = {};
  for (const column of ['value', 'numerator', 'denominator', 'comparator_value'] as const) {
    const given = cell(column);
    if (given === undefined) continue;
    const n = NUMBER.test(given) ? Number(given) : Number.NaN;
    if (Number.isFinite(n)) numbers[column] = n;
    else refuse(column, `must be a number written with digits and an optional decimal point, e.g. 12 or 0.15, not "${given}"`);
  }

  const kind = cell('comparator_kind');
  const source = cell('comparator_source');
  const hasComparatorValue = numbers.comparator_value !== undefined || cell('comparator_value') !== undefined;
  if (hasComparatorValue) {
    if (kind === undefined) refuse('comparator_kind', 'is required with comparator_value');
    if (source === undefined) refuse('comparator_source', 'is required with comparator_value');
  } else if (kind !== undefined || source !== undefined) {
    refuse('comparator_value', `is required with ${kind !== undefined ? 'comparator_kind' : 'comparator_source'}`);
  }
  const metricKey = cell('metric_key');
  if (metricKey === undefined) refuse('metric_key', 'is required');
  // A bad period does not hide the figure's own problems; a missing or unreadable cell does.
  const periodProblems = rejected.filter((r) => r.field === 'period_start' || r.field === 'period_end').length;
  if (rejected.length > periodProblems) return { rejected };

  const candidate: Record<string, unknown> = { metric_key: metricKey };
  if (numbers.value !== undefined) candidate.value = numbers.value;
  if (numbers.numerator !== undefined) candidate.numerator = numbers.numerator;
  if (numbers.denominator !== undefined) candidate.denominator = numbers.denominator;
  if (numbers.comparator_value !== undefined) candidate.comparator = { value: numbers.comparator_value, kind, source };
  const parsed = ObservationInput.safeParse(candidate);
  if (!parsed.success) {
    for (const problem of messagesOf(parsed.error)) refuse(columnOf(problem.path), problem.message);
    return { rejected };
  }
  for (const problem of catalogueProblems(parsed.data, catalogue.get(parsed.data.metric_key))) {
    refuse(columnOf(problem.path), problem.message);
  }
  if (rejected.length > 0) return { rejected };
  return { accepted: { line, period_start: dates.period_start!, period_end: dates.period_end!, observation: parsed.data } };
}

/**
 * Reads a snapshot CSV: a header naming the columns, then one row per metric and period, for
 * one or many periods. Each row stands alone: a bad row is reported with its line, its column
 * and why, and never stops the good ones. A header that cannot be used refuses the whole file.
 */
export async function parseSnapshotCsv(text: string, catalogue: ReadonlyMap<string, CatalogueMetric>): Promise<ParsedCsv> {
  const { records, failure } = await readRecords(text);
  const header = records[0];
  if (header === undefined && failure !== null) throw new ValidationError([{ path: 'lines[1]', message: failure.reason }], 'the CSV cannot be read');
  const columns = readHeader(header);
  const width = header!.cells.length;

  const observations: CsvObservation[] = [];
  const rejected: ImportRejected[] = [];
  const firstLine = new Map<string, number>();
  const perPeriod = new Map<string, number>();
  for (const record of records.slice(1)) {
    if (record.cells.every((c) => c.trim() === '')) continue;
    if (record.cells.length !== width) {
      rejected.push({ line: record.line, field: '', reason: `has ${record.cells.length} fields; the header has ${width}` });
      continue;
    }
    const cell = (column: SnapshotCsvColumn): string | undefined => {
      const index = columns.get(column);
      const value = index === undefined ? undefined : record.cells[index]?.trim();
      return value === undefined || value === '' ? undefined : value;
    };
    const result = checkRow(record.line, cell, catalogue);
    if ('rejected' in result) {
      rejected.push(...result.rejected);
      continue;
    }
    const row = result.accepted;
    const period = `${row.period_start}/${row.period_end}`;
    const key = `${period}/${row.observation.metric_key}`;
    const first = firstLine.get(key);
    if (first !== undefined) {
      rejected.push({ line: row.line, field: 'metric_key', reason: `repeats line ${first}: the same metric and period` });
      continue;
    }
    const count = perPeriod.get(period) ?? 0;
    if (count >= MAX_OBSERVATIONS) {
      rejected.push({ line: row.line, field: '', reason: `the period ${period} already has ${MAX_OBSERVATIONS} rows, the most one snapshot holds` });
      continue;
    }
    firstLine.set(key, row.line);
    perPeriod.set(period, count + 1);
    observations.push(row);
  }
  if (failure !== null) rejected.push(failure);
  return { observations, rejected };
}

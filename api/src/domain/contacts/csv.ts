import { contactUploadColumns, type ContactUploadColumn } from '@firstmile/schema';
import { ValidationError } from '../errors.ts';
import { CsvRecords, type CsvRecord } from './csv-records.ts';
import { MAX_ROW_CHARS, requiredUploadColumns, utf8Text, type RawContactRow } from './rows.ts';

const known: ReadonlySet<string> = new Set(contactUploadColumns);
/** Opaque identifiers are kept exactly as sent, as in JSON; other cells are trimmed. */
const opaque: ReadonlySet<ContactUploadColumn> = new Set(['person_id', 'person_ref', 'need_ref', 'source_contact_id']);
const numeric: ReadonlySet<ContactUploadColumn> = new Set(['minutes', 'cost_gbp']);
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

interface Column {
  name: ContactUploadColumn;
  index: number;
}

function headerProblem(message: string): ValidationError {
  return new ValidationError([{ path: 'lines[1]', message }], 'the CSV header is not usable');
}

/** Which column holds what; optional columns may be left out and the order is free. */
function readHeader(cells: readonly string[] | undefined): Column[] {
  const list = `The columns are: ${contactUploadColumns.join(',')}`;
  if (cells === undefined) throw headerProblem(`the file is empty; its first line must name the columns. ${list}`);
  const columns: Column[] = [];
  const problems: string[] = [];
  cells.forEach((raw, index) => {
    const name = raw.trim().toLowerCase();
    if (!known.has(name)) problems.push(`unknown column "${raw.slice(0, 100)}"`);
    else if (columns.some((c) => c.name === name)) problems.push(`column "${name}" appears twice`);
    else columns.push({ name: name as ContactUploadColumn, index });
  });
  for (const column of requiredUploadColumns) if (!columns.some((c) => c.name === column)) problems.push(`column "${column}" is missing`);
  if (!columns.some((c) => c.name === 'person_id' || c.name === 'person_ref')) {
    problems.push('give a "person_id" column (raw identifiers, pseudonymised here) or a "person_ref" column (your own pseudonyms), or both');
  }
  if (problems.length > 0) throw headerProblem(`${problems.join('; ')}. ${list}`);
  return columns;
}

/** A cell as the contract expects it: absent when empty, a number where one is meant. */
function cellValue(column: ContactUploadColumn, raw: string): unknown {
  if (opaque.has(column)) return raw === '' ? undefined : raw;
  const value = raw.trim();
  if (value === '') return undefined;
  // Not a number: left as text, so the contract refuses it with its own message.
  if (numeric.has(column) && NUMBER.test(value)) return Number(value);
  return value;
}

/**
 * Reads a contacts CSV as it arrives: a header naming the columns, then one contact a line.
 * Each record is reported with the line it starts on. A record with the wrong number of
 * fields, a misplaced quote or more than 64 KiB is a rejected row; a quote never closed is a
 * rejection at its record's line and ends the file there. A header that cannot be used
 * refuses the whole upload (422); bytes that are not UTF-8 too (400).
 */
export async function* csvContactRows(source: AsyncIterable<Uint8Array>): AsyncGenerator<RawContactRow> {
  const tokenizer = new CsvRecords(MAX_ROW_CHARS);
  let columns: Column[] | null = null;
  let width = 0;
  for await (const text of utf8Text(source)) {
    for (const record of tokenizer.push(text)) {
      if (columns === null) {
        if (record.problem !== null) throw headerProblem(`the header ${record.problem}`);
        columns = readHeader(record.cells);
        width = record.cells.length;
      } else {
        const row = rowOf(record, columns, width);
        if (row !== null) yield row;
      }
    }
  }
  for (const record of tokenizer.end()) {
    if (columns === null) throw headerProblem(`the header cannot be read: ${record.problem ?? 'it is incomplete'}`);
    const row = rowOf(record, columns, width);
    if (row !== null) yield row;
  }
  if (columns === null) readHeader(undefined);
}

/** A record as a row; null for a line of nothing but blanks and commas, which is skipped. */
function rowOf(record: CsvRecord, columns: readonly Column[], width: number): RawContactRow | null {
  const { line, cells } = record;
  if (record.problem !== null) return { line, unreadable: [{ field: '', reason: record.problem }] };
  if (cells.every((cell) => cell.trim() === '')) return null;
  if (cells.length !== width) return { line, unreadable: [{ field: '', reason: `has ${cells.length} fields; the header has ${width}` }] };
  const fields: Record<string, unknown> = {};
  for (const column of columns) {
    const value = cellValue(column.name, cells[column.index]!);
    if (value !== undefined) fields[column.name] = value;
  }
  return { line, fields };
}

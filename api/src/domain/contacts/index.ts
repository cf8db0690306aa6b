import { arrowContactRows } from './arrow.ts';
import { csvContactRows } from './csv.ts';
import { ndjsonContactRows } from './ndjson.ts';
import type { ContactUploadFormat, RawContactRow } from './rows.ts';

export { importContacts, ContactImportRefused, type ContactImportActor, type ContactImportProgress, type ImportContactsOptions } from './import.ts';
export { createPseudonymiser, PSEUDONYM_PREFIX, type Pseudonymiser, type PseudonymiserOptions } from './pseudonymiser.ts';
export { contactUploadFormats, type ContactUploadFormat, type RawContactRow, type RowProblem } from './rows.ts';
export { arrowContactRows, csvContactRows, ndjsonContactRows };

export type ContactFileFormat = Exclude<ContactUploadFormat, 'json'>;

const readers: Record<ContactFileFormat, (source: AsyncIterable<Uint8Array>) => AsyncIterable<RawContactRow>> = {
  csv: csvContactRows,
  ndjson: ndjsonContactRows,
  arrow: arrowContactRows,
};

/** The rows of an upload or a file (a Node stream is an AsyncIterable of bytes), read as they arrive. */
export function readContactRows(format: ContactFileFormat, source: AsyncIterable<Uint8Array>): AsyncIterable<RawContactRow> {
  return readers[format](source);
}

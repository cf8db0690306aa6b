import type { ContactUploadColumn } from '@firstmile/schema';
import { UnreadableInputError } from '../errors.ts';

/** A problem with one row: the field at fault ("" for the whole row) and why. */
export interface RowProblem {
  field: string;
  reason: string;
}

/**
 * One row of an upload as a reader found it, before validation. `line` is where it is: the
 * line of a CSV (header = 1) or NDJSON file, the row number (from 1) of an Arrow stream or a
 * JSON batch. A row the reader could not make sense of carries its problems instead.
 */
export type RawContactRow =
  | { readonly line: number; readonly fields: unknown }
  | { readonly line: number; readonly unreadable: readonly RowProblem[] };

/** The upload formats, as the audit log and the report paths name them. */
export const contactUploadFormats = ['json', 'csv', 'ndjson', 'arrow'] as const;
export type ContactUploadFormat = (typeof contactUploadFormats)[number];

/** Columns (CSV) or fields (Arrow) an upload must have, besides person_id or person_ref. */
export const requiredUploadColumns: readonly ContactUploadColumn[] = ['service_id', 'occurred_at', 'minutes', 'channel', 'outcome'];

/** The longest single row a text reader holds before refusing it (contacts are far smaller). */
export const MAX_ROW_CHARS = 64 * 1024;

/**
 * The body's bytes, with a failure of the transport (a dropped connection, an aborted
 * request) turned into an input error: the upload ended early, which is the sender's
 * problem to retry, not the server's bug. Errors thrown downstream pass through untouched.
 */
export async function* uploadBytes(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<Uint8Array>;
      try {
        next = await iterator.next();
      } catch (cause) {
        throw new UnreadableInputError(
          'the upload ended before it was complete (the connection closed, or the file could not be read); nothing was stored: send it again',
          { cause },
        );
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await iterator.return?.();
  }
}

/**
 * UTF-8 text from bytes, chunk by chunk. Anything that is not UTF-8 refuses the upload
 * rather than being read as something else; a byte-order mark is dropped.
 */
export async function* utf8Text(source: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const fail = () => new UnreadableInputError('the upload is not UTF-8 text; send it as UTF-8');
  for await (const bytes of uploadBytes(source)) {
    let text: string;
    try {
      text = decoder.decode(bytes, { stream: true });
    } catch {
      throw fail();
    }
    if (text.length > 0) yield text;
  }
  let rest: string;
  try {
    rest = decoder.decode();
  } catch {
    throw fail();
  }
  if (rest.length > 0) yield rest;
}

/** A plain JSON-like object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

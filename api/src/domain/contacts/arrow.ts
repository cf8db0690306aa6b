import { DataType, RecordBatchReader, util, type Field } from 'apache-arrow';
import { contactUploadColumns, type ContactUploadColumn } from '@firstmile/schema';
import { DomainError, TooLargeError, UnreadableInputError, ValidationError } from '../errors.ts';
import { requiredUploadColumns, uploadBytes, type RawContactRow } from './rows.ts';

/** The largest record batch (or dictionary) read into memory at once. */
export const MAX_ARROW_MESSAGE_BYTES = 64 * 1024 * 1024;
const MAX_METADATA_BYTES = 1024 * 1024;
const CONTINUATION = 0xffffffff;
/** "ARRO", the start of the Arrow *file* format's magic "ARROW1", read as a little-endian int32. */
const FILE_MAGIC = 0x4f525241;

const notArrow = (detail: string) => new UnreadableInputError(`the body is not an Arrow IPC stream: ${detail}`);

/** `bodyLength` (field 3 of the IPC `Message` flatbuffer table), or 0 when absent. */
function bodyLengthOf(metadata: Uint8Array): number {
  try {
    const view = new DataView(metadata.buffer, metadata.byteOffset, metadata.byteLength);
    const table = view.getUint32(0, true);
    const vtable = table - view.getInt32(table, true);
    const vtableSize = view.getUint16(vtable, true);
    const slot = 4 + 2 * 3;
    if (slot + 2 > vtableSize) return 0;
    const offset = view.getUint16(vtable + slot, true);
    if (offset === 0) return 0;
    const length = view.getBigInt64(table + offset, true);
    if (length < 0n) throw notArrow('a message has a negative length');
    return length > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(length);
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw notArrow('a message header is damaged');
  }
}

/**
 * Passes the stream's bytes through while following its message framing (continuation
 * marker, metadata length, metadata, body), so that no message larger than `maxBytes` is
 * ever buffered: the Arrow reader holds a whole message in memory, and a stream could
 * otherwise announce a body of a gigabyte. The file format (which the reader would read whole)
 * is refused at its first bytes.
 */
export async function* arrowFramesWithin(source: AsyncIterable<Uint8Array>, maxBytes = MAX_ARROW_MESSAGE_BYTES): AsyncGenerator<Uint8Array> {
  type State = 'prefix' | 'length' | 'metadata' | 'body' | 'done';
  let state: State = 'prefix';
  let first = true;
  const word = new Uint8Array(4);
  let wordFill = 0;
  let metadata = new Uint8Array(0);
  let metadataFill = 0;
  let bodyLeft = 0;

  /** After a metadata length: the end-of-stream marker, or a message's metadata to read. */
  const afterLength = (length: number): State => {
    if (length === 0) return 'done';
    if (length < 0 || length > MAX_METADATA_BYTES) throw notArrow('a message header is damaged or implausibly large');
    metadata = new Uint8Array(length);
    metadataFill = 0;
    return 'metadata';
  };

  for await (const chunk of source) {
    let i = 0;
    while (i < chunk.length && (state as State) !== 'done') {
      if (state === 'body') {
        const take = Math.min(bodyLeft, chunk.length - i);
        bodyLeft -= take;
        i += take;
        if (bodyLeft === 0) state = 'prefix';
      } else if (state === 'metadata') {
        const take = Math.min(metadata.length - metadataFill, chunk.length - i);
        metadata.set(chunk.subarray(i, i + take), metadataFill);
        metadataFill += take;
        i += take;
        if (metadataFill === metadata.length) {
          bodyLeft = bodyLengthOf(metadata);
          if (bodyLeft > maxBytes) {
            throw new TooLargeError(
              `a record batch of the Arrow stream is ${bodyLeft} bytes; send batches of at most ${maxBytes / 1024 / 1024} MiB (for example 100,000 rows each)`,
            );
          }
          state = bodyLeft === 0 ? 'prefix' : 'body';
        }
      } else {
        const take = Math.min(4 - wordFill, chunk.length - i);
        word.set(chunk.subarray(i, i + take), wordFill);
        wordFill += take;
        i += take;
        if (wordFill < 4) continue;
        wordFill = 0;
        const value = new DataView(word.buffer).getUint32(0, true);
        if (first && value === FILE_MAGIC) {
          throw new UnreadableInputError('the body is in the Arrow file format; send the IPC stream format (application/vnd.apache.arrow.stream)');
        }
        first = false;
        if (state === 'prefix' && value === CONTINUATION) state = 'length';
        else state = afterLength(value | 0);
      }
    }
    yield chunk;
  }
}

/** A column value as the contract reads it: timestamps as ISO text, big and decimal numbers as numbers. */
function converterFor(field: Field): (value: unknown) => unknown {
  const type = DataType.isDictionary(field.type) ? field.type.dictionary : field.type;
  if (DataType.isTimestamp(type)) {
    return (value) => (typeof value === 'number' && Math.abs(value) <= 8.64e15 ? new Date(value).toISOString() : value);
  }
  if (DataType.isDecimal(type)) {
    const scale = type.scale;
    return (value) => (typeof value === 'object' && value !== null ? util.bigNumToNumber(value as Parameters<typeof util.bigNumToNumber>[0], scale) : value);
  }
  return (value) => (typeof value === 'bigint' ? Number(value) : value);
}

interface Column {
  name: ContactUploadColumn;
  index: number;
  convert: (value: unknown) => unknown;
}

function schemaProblem(message: string): ValidationError {
  return new ValidationError([{ path: 'schema', message }], 'the Arrow schema is not usable');
}

const known: ReadonlySet<string> = new Set(contactUploadColumns);

function readSchema(fields: readonly Field[]): Column[] {
  const columns: Column[] = [];
  const problems: string[] = [];
  fields.forEach((field, index) => {
    const name = field.name.trim().toLowerCase();
    if (!known.has(name)) problems.push(`unknown field "${field.name.slice(0, 100)}"`);
    else if (columns.some((c) => c.name === name)) problems.push(`field "${name}" appears twice`);
    else columns.push({ name: name as ContactUploadColumn, index, convert: converterFor(field) });
    const type = DataType.isDictionary(field.type) ? field.type.dictionary : field.type;
    // A timestamp without a zone is a local time in an unknown place: refuse rather than guess.
    if (DataType.isTimestamp(type) && !type.timezone) {
      problems.push(`field "${field.name.slice(0, 100)}" is a timestamp without a time zone; give it one (UTC, for example)`);
    }
  });
  for (const column of requiredUploadColumns) if (!columns.some((c) => c.name === column)) problems.push(`field "${column}" is missing`);
  if (!columns.some((c) => c.name === 'person_id' || c.name === 'person_ref')) {
    problems.push('give a "person_id" field (raw identifiers, pseudonymised here) or a "person_ref" field (your own pseudonyms), or both');
  }
  if (problems.length > 0) throw schemaProblem(`${problems.join('; ')}. The fields are: ${contactUploadColumns.join(',')}`);
  return columns;
}

/**
 * Reads an Arrow IPC stream as it arrives, one record batch at a time, and yields its rows
 * numbered from 1. Field names are the contract's; nulls are absent values. A body with no
 * readable schema is not Arrow (400); a schema without the needed fields is a 422; a stream
 * damaged or cut short after its schema is a rejection at the first row not read, and ends there.
 */
export async function* arrowContactRows(source: AsyncIterable<Uint8Array>): AsyncGenerator<RawContactRow> {
  const reader = await (async () => {
    try {
      const opened = await RecordBatchReader.from(arrowFramesWithin(uploadBytes(source)));
      await opened.open();
      return opened;
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw notArrow('its schema cannot be read');
    }
  })();
  if (reader.closed || reader.schema === undefined || reader.schema === null) throw notArrow('it is empty');
  const columns = readSchema(reader.schema.fields);

  let row = 0;
  try {
    for await (const batch of reader) {
      const vectors = columns.map((c) => ({ ...c, vector: batch.getChildAt(c.index)! }));
      for (let i = 0; i < batch.numRows; i++) {
        const fields: Record<string, unknown> = {};
        for (const column of vectors) {
          const value: unknown = column.vector.get(i);
          if (value !== null && value !== undefined) fields[column.name] = column.convert(value);
        }
        row++;
        yield { line: row, fields };
      }
    }
  } catch (error) {
    if (error instanceof DomainError) throw error;
    yield { line: row + 1, unreadable: [{ field: '', reason: 'the Arrow stream is damaged or cut short from this row on' }] };
  }
}

import { UnreadableInputError } from '../errors.ts';
import { MAX_ROW_CHARS, isRecord, utf8Text, type RawContactRow } from './rows.ts';

function rowOf(line: number, text: string): RawContactRow {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { line, unreadable: [{ field: '', reason: 'is not valid JSON' }] };
  }
  if (!isRecord(value)) return { line, unreadable: [{ field: '', reason: 'must be a JSON object, one contact a line' }] };
  return { line, fields: value };
}

/**
 * Reads NDJSON as it arrives: one JSON object a line (`\n` or `\r\n`), blank lines skipped.
 * A line that is not a JSON object is a rejected row; a line longer than 64 KiB is refused
 * without being held. A body in which no line is JSON at all is not NDJSON (400).
 */
export async function* ndjsonContactRows(source: AsyncIterable<Uint8Array>): AsyncGenerator<RawContactRow> {
  let pending = '';
  let line = 1;
  /** The current line outgrew the limit: its text is dropped until its end. */
  let overlong = false;
  let sawText = false;
  let sawObject = false;

  function* finish(text: string): Generator<RawContactRow> {
    const current = line++;
    if (overlong || text.length > MAX_ROW_CHARS) {
      overlong = false;
      yield { line: current, unreadable: [{ field: '', reason: `is longer than ${MAX_ROW_CHARS} characters` }] };
      return;
    }
    const trimmed = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (trimmed.trim() === '') return;
    sawText = true;
    const row = rowOf(current, trimmed);
    if ('fields' in row) sawObject = true;
    yield row;
  }

  for await (const chunk of utf8Text(source)) {
    let start = 0;
    for (let end = chunk.indexOf('\n'); end !== -1; end = chunk.indexOf('\n', start)) {
      const piece = chunk.slice(start, end);
      yield* finish(overlong ? '' : pending + piece);
      pending = '';
      start = end + 1;
    }
    if (!overlong) {
      pending += chunk.slice(start);
      if (pending.length > MAX_ROW_CHARS) {
        overlong = true;
        pending = '';
      }
    }
  }
  if (pending !== '' || overlong) yield* finish(pending);
  if (sawText && !sawObject) throw new UnreadableInputError('the body is not NDJSON: no line of it is a JSON object');
}

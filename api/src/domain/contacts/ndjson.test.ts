import { describe, expect, it } from 'vitest';
import { UnreadableInputError } from '../errors.ts';
import { ndjsonContactRows } from './ndjson.ts';
import { MAX_ROW_CHARS } from './rows.ts';
import { bytesOf, collect, failureOf } from './test-helpers.ts';

describe('ndjsonContactRows', () => {
  it('reads one object a line, with its line number, whatever the chunking and line endings', async () => {
    const text = '{"a":1}\r\n\n  \n{"b":"x\\ny"}\n[1]\n{"c":\n7\n{"d":"é"}';
    for (const size of [1, 4, 1000]) {
      expect(await collect(ndjsonContactRows(bytesOf(text, size))), `chunks of ${size}`).toEqual([
        { line: 1, fields: { a: 1 } },
        { line: 4, fields: { b: 'x\ny' } },
        { line: 5, unreadable: [{ field: '', reason: 'must be a JSON object, one contact a line' }] },
        { line: 6, unreadable: [{ field: '', reason: 'is not valid JSON' }] },
        { line: 7, unreadable: [{ field: '', reason: 'must be a JSON object, one contact a line' }] },
        { line: 8, fields: { d: 'é' } },
      ]);
    }
  });

  it('refuses a line longer than 64 KiB without holding it, and goes on', async () => {
    const long = `{"x":"${'y'.repeat(MAX_ROW_CHARS)}"}`;
    for (const size of [1000, 100_000]) {
      expect(await collect(ndjsonContactRows(bytesOf(`${long}\n{"a":1}\n${long}`, size))), `chunks of ${size}`).toEqual([
        { line: 1, unreadable: [{ field: '', reason: `is longer than ${MAX_ROW_CHARS} characters` }] },
        { line: 2, fields: { a: 1 } },
        { line: 3, unreadable: [{ field: '', reason: `is longer than ${MAX_ROW_CHARS} characters` }] },
      ]);
    }
  });

  it('refuses a body in which no line is a JSON object, or that is not UTF-8 (400)', async () => {
    expect(await failureOf(ndjsonContactRows(bytesOf('service_id,person_id\nabc,def\n')))).toBeInstanceOf(UnreadableInputError);
    expect(await failureOf(ndjsonContactRows(bytesOf(Buffer.from([0x7b, 0xc3, 0x28, 0x7d]))))).toBeInstanceOf(UnreadableInputError);
    expect(await collect(ndjsonContactRows(bytesOf('')))).toEqual([]);
  });
});

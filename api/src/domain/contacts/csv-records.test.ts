import { describe, expect, it } from 'vitest';
import { CsvRecords, type CsvRecord } from './csv-records.ts';

/** Every record of `text`, fed in pieces of `size` characters (1: every boundary is a chunk boundary). */
function records(text: string, size = text.length || 1, maxChars = 1000): CsvRecord[] {
  const tokenizer = new CsvRecords(maxChars);
  const out: CsvRecord[] = [];
  for (let i = 0; i < text.length; i += size) out.push(...tokenizer.push(text.slice(i, i + size)));
  out.push(...tokenizer.end());
  return out;
}

const cells = (list: CsvRecord[]) => list.map((r) => [r.line, r.cells, r.problem]);

describe('CsvRecords', () => {
  it('splits fields and records, with or without a final line break, whatever the chunking', () => {
    for (const size of [1, 2, 3, 7, 1000]) {
      expect(cells(records('a,b,c\n1,,3\n,x,', size)), `chunks of ${size}`).toEqual([
        [1, ['a', 'b', 'c'], null],
        [2, ['1', '', '3'], null],
        [3, ['', 'x', ''], null],
      ]);
    }
  });

  it('reads quoted fields: delimiters, line breaks and doubled quotes inside, and counts their lines', () => {
    const text = 'id,note\n1,"two\nlines"\n2,"say ""hi"", then, go"\n3,"x\r\ny"\r\n4,""\n""\n';
    for (const size of [1, 2, 5, 1000]) {
      expect(cells(records(text, size)), `chunks of ${size}`).toEqual([
        [1, ['id', 'note'], null],
        [2, ['1', 'two\nlines'], null],
        [4, ['2', 'say "hi", then, go'], null],
        [5, ['3', 'x\r\ny'], null],
        [7, ['4', ''], null],
        // A lone "" is a record with one empty field, not an empty line.
        [8, [''], null],
      ]);
    }
  });

  it('takes \\n, \\r\\n and \\r line endings, and skips empty lines while counting them', () => {
    for (const size of [1, 3, 1000]) {
      expect(cells(records('a,b\r\n1,2\r\n\r\n3,4\r5,6\n\n\n7,8', size)), `chunks of ${size}`).toEqual([
        [1, ['a', 'b'], null],
        [2, ['1', '2'], null],
        [4, ['3', '4'], null],
        [5, ['5', '6'], null],
        [8, ['7', '8'], null],
      ]);
    }
  });

  it('keeps a quote inside an unquoted field, and refuses a record whose closing quote is followed by text', () => {
    expect(cells(records('a,b\n5" tall,x\n"ab"c,d\n9,9\n'))).toEqual([
      [1, ['a', 'b'], null],
      [2, ['5" tall', 'x'], null],
      [3, ['abc', 'd'], 'a closing quote is followed by other characters'],
      [4, ['9', '9'], null],
    ]);
  });

  it('drops a record longer than the limit without holding it, and goes on after it', () => {
    const long = 'x'.repeat(50);
    for (const size of [1, 7, 1000]) {
      expect(cells(records(`a,b\n${long},"${long}\n${long}"\n1,2\n`, size, 40)), `chunks of ${size}`).toEqual([
        [1, ['a', 'b'], null],
        [2, [], 'is longer than 40 characters'],
        [4, ['1', '2'], null],
      ]);
    }
  });

  it('reports a quote never closed at the line of its record, and nothing after it', () => {
    expect(cells(records('a,b\n1,2\n3,"open\n4,5\n6,7\n', 4))).toEqual([
      [1, ['a', 'b'], null],
      [2, ['1', '2'], null],
      [3, [], 'a quoted field in the record starting on this line is never closed, so the file cannot be read from here on'],
    ]);
  });

  it('gives nothing for empty text', () => {
    expect(records('')).toEqual([]);
    expect(records('\n\n')).toEqual([]);
  });
});

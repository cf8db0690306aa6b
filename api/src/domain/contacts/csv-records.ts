/**
 * A streaming CSV tokenizer (RFC 4180, comma-separated): text goes in chunk by chunk, records
 * come out with the line each starts on. Written for the contacts import, where it runs for
 * every one of millions of rows; csv-parse is several times slower on the same input.
 *
 * - Records end at `\n`, `\r\n` or `\r`; a line break inside quotes belongs to the field
 *   and counts as a line.
 * - `""` inside a quoted field is one quote; a quote inside an unquoted field is kept as it is.
 * - A closing quote followed by other characters marks the record (it is refused) and the
 *   rest of the field is read as unquoted text.
 * - Empty lines are skipped. A record longer than `maxChars` is dropped as it is read (never
 *   held) and reported; a quote never closed is reported at its record's line, at the end.
 */

export interface CsvRecord {
  /** The line the record starts on, from 1. */
  line: number;
  cells: string[];
  /** Why the record cannot be used, if it cannot. */
  problem: string | null;
}

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote inside a quoted field: a closing quote, or the first of `""`. */
  QuoteInQuoted,
  /** A record ended at `\r`; a `\n` right after it belongs to the same line break. */
  AfterCarriageReturn,
}

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

export class CsvRecords {
  private state = State.FieldStart;
  private line = 1;
  private recordLine = 1;
  private cells: string[] = [];
  private field = '';
  private size = 0;
  private overlong = false;
  private problem: string | null = null;
  /** Anything read of the current record (so `a,` at the end of the file is two fields). */
  private started = false;
  /** The last character inside quotes was `\r` (so a `\n` after it is the same line break). */
  private quotedCarriageReturn = false;
  /** `""` alone on a line is a record with one empty field, not an empty line. */
  private firstFieldQuoted = false;

  constructor(private readonly maxChars: number) {}

  private append(text: string): void {
    if (this.overlong || text.length === 0) return;
    this.size += text.length;
    if (this.size > this.maxChars) {
      this.overlong = true;
      this.field = '';
      this.cells = [];
      return;
    }
    this.field += text;
  }

  private endField(): void {
    if (!this.overlong) this.cells.push(this.field);
    this.field = '';
  }

  /** Ends the record; returns it unless it was an empty line. */
  private endRecord(): CsvRecord | null {
    this.endField();
    const record: CsvRecord = {
      line: this.recordLine,
      cells: this.cells,
      problem: this.overlong ? `is longer than ${this.maxChars} characters` : this.problem,
    };
    const empty = !this.overlong && this.problem === null && this.cells.length === 1 && this.cells[0] === '' && !this.firstFieldQuoted;
    this.cells = [];
    this.size = 0;
    this.overlong = false;
    this.problem = null;
    this.started = false;
    this.firstFieldQuoted = false;
    return empty ? null : record;
  }

  /** The records completed by this chunk of text. */
  push(text: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    const n = text.length;
    // The state lives in a local while the loop runs: this is the hot path.
    let state = this.state;
    let runStart = 0;
    const finish = (lineBreak: boolean) => {
      const record = this.endRecord();
      if (record) out.push(record);
      if (lineBreak) this.line++;
      this.recordLine = this.line;
    };
    for (let i = 0; i < n; i++) {
      const ch = text.charCodeAt(i);
      if (state === State.Unquoted) {
        if (ch === COMMA) {
          this.append(text.slice(runStart, i));
          this.endField();
          state = State.FieldStart;
        } else if (ch === LF || ch === CR) {
          this.append(text.slice(runStart, i));
          finish(true);
          state = ch === LF ? State.FieldStart : State.AfterCarriageReturn;
        }
        continue;
      }
      if (state === State.AfterCarriageReturn) {
        state = State.FieldStart;
        if (ch === LF) continue;
      }
      switch (state) {
        case State.FieldStart:
          this.started = true;
          if (ch === QUOTE) {
            state = State.Quoted;
            if (this.cells.length === 0) this.firstFieldQuoted = true;
            runStart = i + 1;
          } else if (ch === COMMA) {
            this.endField();
          } else if (ch === LF) {
            finish(true);
          } else if (ch === CR) {
            finish(true);
            state = State.AfterCarriageReturn;
          } else {
            state = State.Unquoted;
            runStart = i;
          }
          break;
        case State.Quoted:
          if (ch === QUOTE) {
            this.append(text.slice(runStart, i));
            state = State.QuoteInQuoted;
          } else if (ch === LF) {
            if (!this.quotedCarriageReturn) this.line++;
            this.quotedCarriageReturn = false;
          } else if (ch === CR) {
            this.line++;
            this.quotedCarriageReturn = true;
          } else {
            this.quotedCarriageReturn = false;
          }
          break;
        case State.QuoteInQuoted:
          this.quotedCarriageReturn = false;
          if (ch === QUOTE) {
            this.append('"');
            state = State.Quoted;
            runStart = i + 1;
          } else if (ch === COMMA) {
            this.endField();
            state = State.FieldStart;
          } else if (ch === LF || ch === CR) {
            finish(true);
            state = ch === LF ? State.FieldStart : State.AfterCarriageReturn;
          } else {
            this.problem ??= 'a closing quote is followed by other characters';
            state = State.Unquoted;
            runStart = i;
          }
          break;
        default: {
          const unreachable: never = state;
          throw new Error(`unknown CSV state ${String(unreachable)}`);
        }
      }
    }
    if (state === State.Unquoted || state === State.Quoted) this.append(text.slice(runStart, n));
    this.state = state;
    return out;
  }

  /** The last record, when the text does not end with a line break. */
  end(): CsvRecord[] {
    if (this.state === State.Quoted) {
      const line = this.recordLine;
      this.cells = [];
      this.field = '';
      this.started = false;
      return [{ line, cells: [], problem: 'a quoted field in the record starting on this line is never closed, so the file cannot be read from here on' }];
    }
    if (!this.started) return [];
    const record = this.endRecord();
    return record ? [record] : [];
  }
}

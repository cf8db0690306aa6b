import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { contactCopyColumns, contactCopyLine } from './copy-text.ts';
import type { PersonContacts } from './people.ts';

export interface CopyProgress {
  people: number;
  contacts: number;
}

export interface CopyContactsOptions {
  /** People per chunk written to the stream (and per progress report). */
  chunkPeople?: number;
  onChunk?: (progress: CopyProgress) => void;
}

/** COPY text lines in chunks of whole people, counting as it goes. */
function* copyChunks(people: Iterable<PersonContacts>, chunkPeople: number, counted: CopyProgress, onChunk: (p: CopyProgress) => void): Generator<string> {
  let lines: string[] = [];
  let inChunk = 0;
  for (const person of people) {
    for (const contact of person.contacts) lines.push(contactCopyLine(contact));
    counted.people++;
    counted.contacts += person.contacts.length;
    if (++inChunk === chunkPeople) {
      yield lines.join('');
      onChunk({ ...counted });
      lines = [];
      inChunk = 0;
    }
  }
  if (lines.length > 0 || inChunk > 0) {
    yield lines.join('');
    onChunk({ ...counted });
  }
}

/**
 * Streams every person's contacts into `contacts` with one COPY on the given client (so it
 * joins the caller's transaction). People are pulled from the iterable only as fast as
 * PostgreSQL takes the rows, so memory stays flat however many there are.
 */
export async function copyContacts(client: pg.PoolClient, people: Iterable<PersonContacts>, options: CopyContactsOptions = {}): Promise<CopyProgress> {
  const chunkPeople = options.chunkPeople ?? 2000;
  if (!Number.isInteger(chunkPeople) || chunkPeople < 1) throw new RangeError(`chunkPeople must be a whole number from 1, not ${chunkPeople}`);
  const counted: CopyProgress = { people: 0, contacts: 0 };
  const copy = client.query(copyFrom(`COPY contacts (${contactCopyColumns.join(', ')}) FROM STDIN (FORMAT text)`));
  // A small buffer: the generator runs while PostgreSQL writes, and no further ahead.
  const source = Readable.from(copyChunks(people, chunkPeople, counted, options.onChunk ?? (() => {})), { objectMode: true, highWaterMark: 4 });
  await pipeline(source, copy);
  if (copy.rowCount !== counted.contacts) {
    throw new Error(`COPY stored ${copy.rowCount} contacts but ${counted.contacts} were sent`);
  }
  return counted;
}

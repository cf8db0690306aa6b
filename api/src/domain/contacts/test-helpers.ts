import type { RawContactRow } from './rows.ts';

/** Bytes in pieces of `size` (1: every byte boundary is a chunk boundary), as a request body arrives. */
export async function* bytesOf(input: string | Uint8Array, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

export async function collect(rows: AsyncIterable<RawContactRow>): Promise<RawContactRow[]> {
  const out: RawContactRow[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

/** The error a reader throws, or null. */
export async function failureOf(rows: AsyncIterable<RawContactRow>): Promise<unknown> {
  try {
    await collect(rows);
    return null;
  } catch (error) {
    return error;
  }
}

import {
  Decimal, Dictionary, Float64, Int32, Int64, RecordBatchStreamWriter, Table, TimestampMillisecond, Utf8, tableToIPC, vectorFromArray,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { TooLargeError, UnreadableInputError, ValidationError } from '../errors.ts';
import { arrowContactRows, arrowFramesWithin } from './arrow.ts';
import { bytesOf, collect, failureOf } from './test-helpers.ts';

const service = '3c1e2d4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const at = Date.parse('2026-02-03T14:05:00Z');

function contactsTable(rows = 3, timezone: string | null = 'UTC') {
  const n = Array.from({ length: rows }, (_, i) => i);
  return new Table({
    service_id: vectorFromArray(n.map(() => service), new Utf8()),
    person_id: vectorFromArray(n.map((i) => (i === 1 ? null : `CASE-${i}`)), new Utf8()),
    person_ref: vectorFromArray(n.map((i) => (i === 1 ? 'p-1' : null)), new Utf8()),
    occurred_at: vectorFromArray(n.map((i) => new Date(at + i * 60_000)), new TimestampMillisecond(timezone)),
    minutes: vectorFromArray(n.map((i) => BigInt(10 + i)), new Int64()),
    cost_gbp: vectorFromArray(n.map((i) => (i === 2 ? null : 12.5)), new Float64()),
    channel: vectorFromArray(n.map(() => 'phone'), new Dictionary(new Utf8(), new Int32())),
    outcome: vectorFromArray(n.map(() => 'resolved'), new Utf8()),
  });
}

describe('arrowContactRows', () => {
  it('reads rows numbered from 1, with timestamps as ISO text, big integers as numbers and nulls absent', async () => {
    const bytes = tableToIPC(contactsTable(), 'stream');
    for (const size of [1, 100, bytes.length]) {
      const rows = await collect(arrowContactRows(bytesOf(bytes, size)));
      expect(rows, `chunks of ${size}`).toEqual([
        { line: 1, fields: { service_id: service, person_id: 'CASE-0', occurred_at: '2026-02-03T14:05:00.000Z', minutes: 10, cost_gbp: 12.5, channel: 'phone', outcome: 'resolved' } },
        { line: 2, fields: { service_id: service, person_ref: 'p-1', occurred_at: '2026-02-03T14:06:00.000Z', minutes: 11, cost_gbp: 12.5, channel: 'phone', outcome: 'resolved' } },
        { line: 3, fields: { service_id: service, person_id: 'CASE-2', occurred_at: '2026-02-03T14:07:00.000Z', minutes: 12, channel: 'phone', outcome: 'resolved' } },
      ]);
    }
  });

  it('numbers rows across record batches, and reads decimals', async () => {
    const table = new Table({
      service_id: vectorFromArray([service, service], new Utf8()),
      person_ref: vectorFromArray(['a', 'b'], new Utf8()),
      occurred_at: vectorFromArray(['2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z'], new Utf8()),
      minutes: vectorFromArray([1, 2], new Int32()),
      cost_gbp: vectorFromArray([new Uint32Array([1234, 0, 0, 0]), null], new Decimal(2, 12, 128)),
      channel: vectorFromArray(['phone', 'online'], new Utf8()),
      outcome: vectorFromArray(['resolved', 'ongoing'], new Utf8()),
    });
    const writer = new RecordBatchStreamWriter();
    for (const batch of [...table.batches, ...table.batches]) writer.write(batch);
    writer.finish();
    const rows = await collect(arrowContactRows(bytesOf(writer.toUint8Array(true))));
    expect(rows.map((r) => [r.line, 'fields' in r ? (r.fields as Record<string, unknown>).cost_gbp : r])).toEqual([[1, 12.34], [2, undefined], [3, 12.34], [4, undefined]]);
  });

  it('refuses a schema without the needed fields, with unknown ones, or with a timestamp of no time zone (422)', async () => {
    const table = contactsTable(1, null);
    const { channel: _channel, ...kept } = Object.fromEntries(table.schema.fields.map((f) => [f.name, table.getChildAt(table.schema.fields.indexOf(f))!]));
    const bad = new Table({ ...kept, colour: vectorFromArray(['red'], new Utf8()) });
    const error = await failureOf(arrowContactRows(bytesOf(tableToIPC(bad, 'stream'))));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems[0]!.message).toBe(
      'field "occurred_at" is a timestamp without a time zone; give it one (UTC, for example); unknown field "colour"; field "channel" is missing. ' +
        'The fields are: service_id,person_id,person_ref,need_ref,occurred_at,minutes,cost_gbp,channel,outcome,source_contact_id',
    );
  });

  it('refuses what is not an Arrow stream (400): text, nothing, the file format', async () => {
    for (const body of [Buffer.from('service_id,person_id\n1,2\n'), Buffer.alloc(0), tableToIPC(contactsTable(), 'file')]) {
      const error = await failureOf(arrowContactRows(bytesOf(body)));
      expect(error, body.subarray(0, 10).toString()).toBeInstanceOf(UnreadableInputError);
    }
    expect(String(await failureOf(arrowContactRows(bytesOf(tableToIPC(contactsTable(), 'file')))))).toMatch(/file format/);
  });

  it('keeps the rows before a stream is cut short, and rejects the rest at the first row not read', async () => {
    const table = contactsTable(2);
    const writer = new RecordBatchStreamWriter();
    for (const batch of [...table.batches, ...table.batches]) writer.write(batch);
    writer.finish();
    const bytes = writer.toUint8Array(true);
    const rows = await collect(arrowContactRows(bytesOf(bytes.subarray(0, bytes.length - 40))));
    expect(rows.map((r) => ('fields' in r ? r.line : r))).toEqual([1, 2, { line: 3, unreadable: [{ field: '', reason: 'the Arrow stream is damaged or cut short from this row on' }] }]);
  });
});

describe('arrowFramesWithin', () => {
  it('passes a stream through untouched, and refuses a message larger than the limit before holding it', async () => {
    const bytes = tableToIPC(contactsTable(50), 'stream');
    const through: Uint8Array[] = [];
    for await (const chunk of arrowFramesWithin(bytesOf(bytes, 7))) through.push(chunk);
    expect(Buffer.concat(through).equals(Buffer.from(bytes))).toBe(true);
    let error: unknown = null;
    try {
      for await (const _ of arrowFramesWithin(bytesOf(bytes, 7), 1024)) {
        // read on
      }
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TooLargeError);
    expect(String(error)).toMatch(/a record batch of the Arrow stream is \d+ bytes; send batches of at most/);
  });

  it('refuses an implausible message header', async () => {
    const header = Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]);
    await expect(async () => {
      for await (const _ of arrowFramesWithin(bytesOf(header))) {
        // read on
      }
    }).rejects.toThrow(UnreadableInputError);
  });
});

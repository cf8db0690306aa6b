import { describe, expect, it } from 'vitest';
import { UnreadableInputError, ValidationError } from '../errors.ts';
import { csvContactRows } from './csv.ts';
import { bytesOf, collect, failureOf } from './test-helpers.ts';

const service = '3c1e2d4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const HEADER = 'service_id,person_id,person_ref,need_ref,occurred_at,minutes,cost_gbp,channel,outcome,source_contact_id';

describe('csvContactRows', () => {
  it('reads each line as the contract expects it: empty cells absent, numbers as numbers, identifiers as sent', async () => {
    const text = [
      HEADER,
      `${service},CASE-1,,need-1,2026-02-03T14:05:00Z,30,38.50,face_to_face,resolved,crm-1`,
      ` ${service} , CASE 2 ,,, 2026-02-03T15:00:00+01:00 , 1e1 ,,phone,ongoing,`,
      `${service},,p-3,,2026-02-03T16:00:00Z,thirty,£4,online,no_action,`,
    ].join('\r\n');
    for (const size of [1, 5, 1000]) {
      expect(await collect(csvContactRows(bytesOf(text, size))), `chunks of ${size}`).toEqual([
        { line: 2, fields: { service_id: service, person_id: 'CASE-1', need_ref: 'need-1', occurred_at: '2026-02-03T14:05:00Z', minutes: 30, cost_gbp: 38.5, channel: 'face_to_face', outcome: 'resolved', source_contact_id: 'crm-1' } },
        { line: 3, fields: { service_id: service, person_id: ' CASE 2 ', occurred_at: '2026-02-03T15:00:00+01:00', minutes: 10, channel: 'phone', outcome: 'ongoing' } },
        // Not numbers: left as text for the contract to refuse with its own message.
        { line: 4, fields: { service_id: service, person_ref: 'p-3', occurred_at: '2026-02-03T16:00:00Z', minutes: 'thirty', cost_gbp: '£4', channel: 'online', outcome: 'no_action' } },
      ]);
    }
  });

  it('takes the columns in any order and case, leaving optional ones out', async () => {
    const rows = await collect(csvContactRows(bytesOf(`Outcome,CHANNEL,minutes,occurred_at,person_ref,service_id\nresolved,phone,5,2026-01-01T00:00:00Z,p,${service}\n`)));
    expect(rows).toEqual([{ line: 2, fields: { outcome: 'resolved', channel: 'phone', minutes: 5, occurred_at: '2026-01-01T00:00:00Z', person_ref: 'p', service_id: service } }]);
  });

  it('rejects rows it cannot read with their line, skips blank lines, and goes on', async () => {
    const text = `${HEADER}\n\n${service},A,,,2026-01-01T00:00:00Z,5,,phone,resolved,1\n,,\n${service},B\n"${service}"x,C,,,2026-01-01T00:00:00Z,5,,phone,resolved,2\n${service},"multi\nline",,,2026-01-01T00:00:00Z,5,,phone,resolved,3\n${service},D,,,2026-01-01T00:00:00Z,5,,phone,resolved,"never closed\n`;
    expect(await collect(csvContactRows(bytesOf(text, 3)))).toEqual([
      { line: 3, fields: { service_id: service, person_id: 'A', occurred_at: '2026-01-01T00:00:00Z', minutes: 5, channel: 'phone', outcome: 'resolved', source_contact_id: '1' } },
      { line: 5, unreadable: [{ field: '', reason: 'has 2 fields; the header has 10' }] },
      { line: 6, unreadable: [{ field: '', reason: 'a closing quote is followed by other characters' }] },
      { line: 7, fields: { service_id: service, person_id: 'multi\nline', occurred_at: '2026-01-01T00:00:00Z', minutes: 5, channel: 'phone', outcome: 'resolved', source_contact_id: '3' } },
      { line: 9, unreadable: [{ field: '', reason: 'a quoted field in the record starting on this line is never closed, so the file cannot be read from here on' }] },
    ]);
  });

  it('refuses a header it cannot use, naming every problem (422)', async () => {
    const error = await failureOf(csvContactRows(bytesOf('service_id,person,occurred_at,minutes,minutes,outcome\n')));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems).toEqual([
      {
        path: 'lines[1]',
        message:
          'unknown column "person"; column "minutes" appears twice; column "channel" is missing; give a "person_id" column (raw identifiers, pseudonymised here) or a "person_ref" column (your own pseudonyms), or both. ' +
          'The columns are: service_id,person_id,person_ref,need_ref,occurred_at,minutes,cost_gbp,channel,outcome,source_contact_id',
      },
    ]);
    const empty = await failureOf(csvContactRows(bytesOf('')));
    expect((empty as ValidationError).problems[0]!.message).toMatch(/^the file is empty/);
  });

  it('refuses bytes that are not UTF-8 (400), and drops a byte-order mark', async () => {
    const bad = Buffer.concat([Buffer.from(`${HEADER}\n${service},`), Buffer.from([0xff, 0xfe, 0x00]), Buffer.from(',,,2026-01-01T00:00:00Z,5,,phone,resolved,\n')]);
    expect(await failureOf(csvContactRows(bytesOf(bad, 7)))).toBeInstanceOf(UnreadableInputError);
    const bom = await collect(csvContactRows(bytesOf(`\uFEFF${HEADER}\n${service},A,,,2026-01-01T00:00:00Z,5,,phone,resolved,\n`)));
    expect(bom).toHaveLength(1);
  });

  it('turns a dropped upload into an input error, not a crash', async () => {
    async function* dropped(): AsyncGenerator<Uint8Array> {
      yield Buffer.from(`${HEADER}\n`);
      throw new Error('aborted');
    }
    const error = await failureOf(csvContactRows(dropped()));
    expect(error).toBeInstanceOf(UnreadableInputError);
    expect((error as Error).message).toMatch(/the upload ended before it was complete/);
  });
});

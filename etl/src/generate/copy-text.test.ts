import { describe, expect, it } from 'vitest';
import { contactCopyColumns, contactCopyLine, copyTextField } from './copy-text.ts';

describe('copyTextField', () => {
  it('writes null as \\N, and numbers and booleans as PostgreSQL reads them', () => {
    expect(copyTextField(null)).toBe('\\N');
    expect(copyTextField(26.67)).toBe('26.67');
    expect(copyTextField(0)).toBe('0');
    expect(copyTextField(true)).toBe('t');
  });

  it('escapes the characters that would end a field or a row, and the backslash itself', () => {
    expect(copyTextField('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    // A literal "\N" in text must not read back as null.
    expect(copyTextField('\\N')).toBe('\\\\N');
    expect(copyTextField('plain text, with commas; and "quotes"')).toBe('plain text, with commas; and "quotes"');
  });

  it('refuses numbers PostgreSQL could not store', () => {
    expect(() => copyTextField(Number.NaN)).toThrow(RangeError);
    expect(() => copyTextField(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('contactCopyLine', () => {
  it('writes one line with a field per column, in column order', () => {
    const line = contactCopyLine({
      organisationId: '11111111-1111-4111-8111-111111111111',
      serviceId: '22222222-2222-4222-8222-222222222222',
      personRef: 'abc',
      needRef: null,
      occurredAtMs: Date.UTC(2024, 3, 2, 9, 30),
      minutes: 45,
      costGbp: 30,
      channel: 'home_visit',
      outcome: 'resolved',
      sourceContactId: 'gp-0a1b',
    });
    expect(line.endsWith('\n')).toBe(true);
    const fields = line.slice(0, -1).split('\t');
    expect(fields).toHaveLength(contactCopyColumns.length);
    expect(Object.fromEntries(contactCopyColumns.map((c, i) => [c, fields[i]]))).toEqual({
      organisation_id: '11111111-1111-4111-8111-111111111111',
      service_id: '22222222-2222-4222-8222-222222222222',
      person_ref: 'abc',
      need_ref: '\\N',
      occurred_at: '2024-04-02T09:30:00.000Z',
      minutes: '45',
      cost_gbp: '30',
      channel: 'home_visit',
      outcome: 'resolved',
      source_contact_id: 'gp-0a1b',
    });
  });
});

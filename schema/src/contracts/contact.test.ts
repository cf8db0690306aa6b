import { describe, expect, it } from 'vitest';
import { ContactBatch, ContactCreate } from './contact.ts';
import { accepted, json, problems } from './test-helpers.ts';

const contact = {
  service_id: '3c1e2d4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
  person_ref: 'p-7f3a9c',
  need_ref: 'need-42',
  occurred_at: '2026-02-03T14:05:00+00:00',
  minutes: 30,
  cost_gbp: 38,
  channel: 'face_to_face',
  outcome: 'resolved',
  source_contact_id: 'crm-991',
};

describe('ContactCreate', () => {
  it('accepts a contact with a pseudonym, or with a raw id for the API to pseudonymise', () => {
    expect(accepted(ContactCreate, contact)).toEqual(contact);
    const { person_ref: _ref, need_ref: _need, cost_gbp: _cost, source_contact_id: _src, ...minimal } = contact;
    expect(accepted(ContactCreate, { ...minimal, person_id: 'NHS 943 476 5919' })).toEqual({ ...minimal, person_id: 'NHS 943 476 5919' });
  });

  it('needs exactly one of person_id and person_ref', () => {
    expect(problems(ContactCreate, { ...contact, person_id: '123' })).toEqual([
      { path: 'person_ref', message: 'give person_id or person_ref, not both' },
    ]);
    const { person_ref: _ref, ...anonymous } = contact;
    expect(problems(ContactCreate, anonymous)).toEqual([
      { path: 'person_id', message: 'give person_id (a raw identifier the API pseudonymises) or person_ref (your own pseudonym)' },
    ]);
  });

  it('keeps identifiers exactly as sent, within 1–128 characters', () => {
    expect(accepted(ContactCreate, { ...contact, person_ref: ' p-1 ' }).person_ref).toBe(' p-1 ');
    expect(problems(ContactCreate, { ...contact, person_ref: 'x'.repeat(129), need_ref: '', source_contact_id: 'a\u0000' })).toEqual([
      { path: 'person_ref', message: 'must be at most 128 characters' },
      { path: 'need_ref', message: 'must not be empty' },
      { path: 'source_contact_id', message: 'must not contain NUL characters or unpaired UTF-16 surrogates' },
    ]);
  });

  it('checks time, minutes, cost, channel and outcome', () => {
    expect(problems(ContactCreate, {
      ...contact, occurred_at: '2026-02-03T14:05:00', minutes: 1441, cost_gbp: 12.345, channel: 'letter', outcome: 'done',
    })).toEqual([
      { path: 'occurred_at', message: 'must be an ISO 8601 timestamp with seconds and an offset, e.g. 2026-03-01T09:30:00Z' },
      { path: 'minutes', message: 'must be at most 1440 (one day)' },
      { path: 'cost_gbp', message: 'must have at most 2 decimal places (whole pence)' },
      { path: 'channel', message: 'Invalid option: expected one of "face_to_face"|"phone"|"online"|"home_visit"|"other"' },
      { path: 'outcome', message: 'Invalid option: expected one of "resolved"|"referred_on"|"no_action"|"ongoing"' },
    ]);
    expect(problems(ContactCreate, { ...contact, occurred_at: '1899-06-01T00:00:00Z' })).toEqual([
      { path: 'occurred_at', message: 'must lie between 1900-01-02T00:00:00Z and 2200-12-30T00:00:00Z' },
    ]);
  });

  it('names unknown fields, including a person_id misspelt', () => {
    expect(problems(ContactCreate, { ...contact, personRef: 'x', nhs_number: '1' })).toEqual([
      { path: 'personRef', message: 'unknown field' },
      { path: 'nhs_number', message: 'unknown field' },
    ]);
  });
});

describe('ContactBatch', () => {
  it('holds 1 to 10,000 contacts', () => {
    expect(accepted(ContactBatch, { contacts: Array.from({ length: 10_000 }, () => contact) }).contacts).toHaveLength(10_000);
    expect(problems(ContactBatch, { contacts: [] })).toEqual([{ path: 'contacts', message: 'must hold at least one contact' }]);
    expect(problems(ContactBatch, { contacts: Array.from({ length: 10_001 }, () => contact) })).toEqual([
      { path: 'contacts', message: 'must hold at most 10000 contacts; use /v1/contacts:import for more' },
    ]);
  });

  it('points at the row and field at fault', () => {
    const body = json(JSON.stringify({ contacts: [contact, contact, contact, { ...contact, minutes: 5 }] }).replace('"minutes":5', '"minutes":1e999'));
    expect(problems(ContactBatch, body)).toEqual([{ path: 'contacts[3].minutes', message: 'must be a whole number' }]);
  });
});

import { createHmac, createSecretKey, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createPseudonymiser } from './pseudonymiser.ts';

const keyBytes = Buffer.from('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'hex');
const key = createSecretKey(keyBytes);
const orgA = '6f1c0d8e-2f35-4c8e-9a51-0d6b2f4e9a10';
const orgB = '0a8e2b4c-6d10-4f7e-8b3a-5c9d1e2f3a4b';

describe('createPseudonymiser', () => {
  it('is HMAC-SHA256 of the scheme, the organisation and the identifier, written h1:<base64url>', () => {
    const expected = createHmac('sha256', keyBytes).update(`firstmile/person/v1\u0000${orgA}\u0000NHS 943 476 5919`).digest('base64url');
    const ref = createPseudonymiser({ key }).forOrganisation(orgA)('NHS 943 476 5919');
    expect(ref).toBe(`h1:${expected}`);
    expect(ref).toHaveLength(46);
  });

  it('gives the same pseudonym for the same person and organisation, a different one in another organisation', () => {
    const p = createPseudonymiser({ key });
    expect(p.forOrganisation(orgA)('CASE-1')).toBe(p.forOrganisation(orgA.toUpperCase())('CASE-1'));
    expect(p.forOrganisation(orgA)('CASE-1')).not.toBe(p.forOrganisation(orgB)('CASE-1'));
    expect(p.forOrganisation(orgA)('CASE-1')).not.toBe(p.forOrganisation(orgA)('CASE-2'));
    // Identifiers are opaque: spaces and case count.
    expect(p.forOrganisation(orgA)('case-1')).not.toBe(p.forOrganisation(orgA)('CASE-1'));
  });

  it('links people across organisations only when told to, and then everywhere alike', () => {
    const linked = createPseudonymiser({ key, linkAcrossOrganisations: true });
    expect(linked.forOrganisation(orgA)('CASE-1')).toBe(linked.forOrganisation(orgB)('CASE-1'));
    expect(linked.forOrganisation(orgA)('CASE-1')).not.toBe(createPseudonymiser({ key }).forOrganisation(orgA)('CASE-1'));
  });

  it('depends on the key', () => {
    const other = createPseudonymiser({ key: createSecretKey(randomBytes(32)) });
    expect(other.forOrganisation(orgA)('CASE-1')).not.toBe(createPseudonymiser({ key }).forOrganisation(orgA)('CASE-1'));
  });

  it('without a key, says why and makes nothing', () => {
    const none = createPseudonymiser({ key: null });
    expect(none.unavailable).toMatch(/no pseudonym key/);
    expect(() => none.forOrganisation(orgA)).toThrow(/no pseudonym key/);
    expect(createPseudonymiser({ key }).unavailable).toBeNull();
  });

  it('refuses a short key, and never shows its key when printed', () => {
    expect(() => createPseudonymiser({ key: createSecretKey(randomBytes(16)) })).toThrow(/at least 32 bytes/);
    const printed = `${inspect(createPseudonymiser({ key }), { showHidden: true, depth: 5 })} ${JSON.stringify(createPseudonymiser({ key }))}`;
    expect(printed).not.toContain(keyBytes.toString('hex'));
    expect(printed).not.toContain(keyBytes.toString('base64'));
  });
});

import { describe, expect, it } from 'vitest';
import { formatKey, hashSecret, newSecret, parseKey, secretMatches } from './api-key.ts';

describe('API keys', () => {
  const keyId = '0f9b2c4e-1a2b-4c3d-8e9f-0123456789ab';

  it('round-trips the key id through the printed key', () => {
    const secret = newSecret();
    const key = formatKey(keyId, secret);
    expect(key).toMatch(/^fm_0f9b2c4e1a2b4c3d8e9f0123456789ab_[A-Za-z0-9_-]{43}$/);
    expect(parseKey(key)).toEqual({ keyId, secret });
  });

  it('rejects anything that is not a well-formed key', () => {
    expect(parseKey('')).toBeNull();
    expect(parseKey('Bearer fm_x')).toBeNull();
    expect(parseKey(`fm_${'0'.repeat(32)}_${'a'.repeat(42)}`)).toBeNull();
    expect(parseKey(`fm_${'0'.repeat(32)}_${'a'.repeat(43)}\n`)).toBeNull();
  });

  it('matches only the right secret against the stored hash', () => {
    const secret = newSecret();
    const stored = hashSecret(secret);
    expect(stored).toHaveLength(32);
    expect(secretMatches(secret, stored)).toBe(true);
    expect(secretMatches(newSecret(), stored)).toBe(false);
    expect(secretMatches(secret, stored.subarray(0, 16))).toBe(false);
  });
});

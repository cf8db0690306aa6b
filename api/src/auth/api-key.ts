import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A key reads `fm_<key id, 32 hex>_<secret, 43 base64url>`. The id finds the row; only a
 * SHA-256 of the secret is stored (the secret is 256 random bits, so a slow hash adds nothing).
 */
const KEY_PATTERN = /^fm_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

export interface ParsedKey {
  keyId: string;
  secret: string;
}

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

export function formatKey(keyId: string, secret: string): string {
  return `fm_${keyId.replaceAll('-', '')}_${secret}`;
}

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function parseKey(token: string): ParsedKey | null {
  const match = KEY_PATTERN.exec(token);
  if (!match) return null;
  const hex = match[1]!;
  const keyId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { keyId, secret: match[2]! };
}

/** Constant-time, so response timing says nothing about how much of a secret was right. */
export function secretMatches(secret: string, storedHash: Uint8Array): boolean {
  const candidate = hashSecret(secret);
  return storedHash.length === candidate.length && timingSafeEqual(candidate, storedHash);
}

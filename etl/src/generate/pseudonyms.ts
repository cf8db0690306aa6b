import { createHmac, createSecretKey } from 'node:crypto';

/**
 * The demo world's pseudonym key. It is public on purpose: demo people are synthetic, and
 * their pseudonyms are made the way a deployment makes real ones (a keyed HMAC), so the
 * values look and behave like production data without resembling any real identifier.
 */
const demoKey = createSecretKey(Buffer.from('firstmile demo pseudonym key: synthetic people only', 'utf8'));

function hmacHex(message: string): string {
  return createHmac('sha256', demoKey).update(message).digest('hex');
}

/** 64 hexadecimal digits for synthetic person `index` of the world made from `seed`. */
export function personRef(seed: number, index: number): string {
  return hmacHex(`demo-person:${seed}:${index}`);
}

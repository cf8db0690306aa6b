import { z } from 'zod';
import { text } from './common.ts';

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/**
 * The `Idempotency-Key` request header (names arrive lower-cased). Not strict: every other
 * header of the request passes through untouched.
 */
export const IdempotencyHeaders = z.object({
  'idempotency-key': text({ max: MAX_IDEMPOTENCY_KEY_LENGTH, trim: false })
    .optional()
    .describe(
      'Any unique string of 1–255 characters, e.g. a UUID. The same key with the same request within 24 hours returns the original response (with Idempotent-Replayed: true) and does nothing again; the same key with a different request is 409. A refused request (4xx) does not use the key up.',
    ),
});
export type IdempotencyHeaders = z.infer<typeof IdempotencyHeaders>;

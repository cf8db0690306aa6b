import { z } from 'zod';
import { roles } from '../db/api-keys.ts';
import { TimestampString, Uuid, atLeastOneField, text } from './common.ts';

export const RoleEnum = z.enum(roles).describe('What the key may do.');
const Label = text({ min: 0, max: 200 }).describe('A note for people, e.g. "CRM nightly upload"; up to 200 characters.');

export const ApiKeyCreate = z.strictObject({
  organisation_id: Uuid,
  role: RoleEnum,
  label: Label.default(''),
});
export type ApiKeyCreate = z.infer<typeof ApiKeyCreate>;

/** Revoking is final; a revoked key cannot be brought back. */
export const ApiKeyUpdate = atLeastOneField(
  z.strictObject({
    label: Label.optional(),
    revoked: z.literal(true).optional().describe('true revokes the key.'),
  }),
);
export type ApiKeyUpdate = z.infer<typeof ApiKeyUpdate>;

export const ApiKey = z.strictObject({
  id: Uuid,
  organisation_id: Uuid,
  role: RoleEnum,
  label: Label,
  created_at: TimestampString,
  last_used_at: TimestampString.nullable(),
  revoked_at: TimestampString.nullable(),
});
export type ApiKey = z.infer<typeof ApiKey>;

/** The create response: the only time the secret is shown (only its hash is stored). */
export const ApiKeyCreated = z.strictObject({
  id: Uuid,
  organisation_id: Uuid,
  role: RoleEnum,
  label: Label,
  created_at: TimestampString,
  key: z.string().min(1).describe('The bearer token. Shown once: store it now, it cannot be retrieved again.'),
});
export type ApiKeyCreated = z.infer<typeof ApiKeyCreated>;

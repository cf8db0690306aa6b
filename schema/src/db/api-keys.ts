import type { Generated, Selectable } from 'kysely';
import type { CreatedAt, Timestamp } from './columns.ts';

export const roles = ['submitter', 'funder', 'analyst', 'commissioner', 'admin'] as const;
export type Role = (typeof roles)[number];

export interface ApiKeysTable {
  organisation_id: string;
  id: Generated<string>;
  role: Role;
  label: Generated<string>;
  /** SHA-256 of the key's secret part; the secret itself is shown once and never stored. */
  secret_hash: Buffer;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}
export type ApiKeyRow = Selectable<ApiKeysTable>;

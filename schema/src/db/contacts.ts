import type { Generated, Selectable } from 'kysely';
import type { CreatedAt, Timestamp } from './columns.ts';

export const channels = ['face_to_face', 'phone', 'online', 'home_visit', 'other'] as const;
export type Channel = (typeof channels)[number];
export const contactOutcomes = ['resolved', 'referred_on', 'no_action', 'ongoing'] as const;
export type ContactOutcome = (typeof contactOutcomes)[number];

export interface ContactsTable {
  organisation_id: string;
  id: Generated<number>;
  service_id: string;
  /** Always a pseudonym: raw identifiers are replaced by a keyed HMAC before storage. */
  person_ref: string;
  need_ref: string | null;
  occurred_at: Timestamp;
  minutes: number;
  cost_gbp: number | null;
  channel: Channel;
  outcome: ContactOutcome;
  source_contact_id: string | null;
  created_at: CreatedAt;
}
export type ContactRow = Selectable<ContactsTable>;

import { z } from 'zod';
import { channels, contactOutcomes } from '../db/contacts.ts';
import { Count, Minutes, TimestampString, Uuid, moneyGbp, text } from './common.ts';

export const ChannelEnum = z.enum(channels);
export const ContactOutcomeEnum = z.enum(contactOutcomes).describe(
  'resolved ends the need\'s episode; the others leave it open, so a later contact is a repeat.',
);

// Identifiers are opaque: kept exactly as sent (no trimming), so two systems' keys never merge.
const Ref = text({ max: 128, trim: false });
const PersonId = Ref.describe(
  'A raw person identifier (e.g. a case number). The API replaces it with a keyed HMAC before storage; it is never stored.',
);
const PersonRef = Ref.describe('A pseudonym for the person that you made yourself; stored as given.');
const NeedRef = Ref.describe('A pseudonymous key for one need or episode, when you track them.');
const SourceContactId = Ref.describe('Your own id for the contact; re-sending the same contact with it never duplicates it.');
const Cost = moneyGbp(12).describe('Cost of the contact in pounds; defaults to the service\'s unit cost.');

/** One conversation or visit between a person and a service. */
export const ContactCreate = z
  .strictObject({
    service_id: Uuid,
    person_id: PersonId.optional(),
    person_ref: PersonRef.optional(),
    need_ref: NeedRef.optional(),
    occurred_at: TimestampString,
    minutes: Minutes,
    cost_gbp: Cost.optional(),
    channel: ChannelEnum,
    outcome: ContactOutcomeEnum,
    source_contact_id: SourceContactId.optional(),
  })
  .superRefine((c, ctx) => {
    if (c.person_id !== undefined && c.person_ref !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['person_ref'], message: 'give person_id or person_ref, not both' });
    } else if (c.person_id === undefined && c.person_ref === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['person_id'],
        message: 'give person_id (a raw identifier the API pseudonymises) or person_ref (your own pseudonym)',
      });
    }
  });
export type ContactCreate = z.infer<typeof ContactCreate>;

export const MAX_CONTACTS_PER_BATCH = 10_000;

/** `POST /v1/contacts`; larger uploads go to `POST /v1/contacts:import`. */
export const ContactBatch = z.strictObject({
  contacts: z
    .array(ContactCreate)
    .min(1, 'must hold at least one contact')
    .max(MAX_CONTACTS_PER_BATCH, `must hold at most ${MAX_CONTACTS_PER_BATCH} contacts; use /v1/contacts:import for more`),
});
export type ContactBatch = z.infer<typeof ContactBatch>;

export const ContactBatchResult = z.strictObject({
  received: Count.describe('Contacts in the request.'),
  inserted: Count.describe('Contacts stored now.'),
  duplicates: Count.describe('Contacts already stored (same service, person, time and source id), left as they were.'),
});
export type ContactBatchResult = z.infer<typeof ContactBatchResult>;

/** A stored contact: the person is only ever a pseudonym. */
export const Contact = z.strictObject({
  id: z.int().min(1),
  service_id: Uuid,
  person_ref: PersonRef,
  need_ref: NeedRef.nullable(),
  occurred_at: TimestampString,
  minutes: Minutes,
  cost_gbp: Cost.nullable(),
  channel: ChannelEnum,
  outcome: ContactOutcomeEnum,
  source_contact_id: SourceContactId.nullable(),
  created_at: TimestampString,
});
export type Contact = z.infer<typeof Contact>;

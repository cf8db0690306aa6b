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

/**
 * What `POST /v1/contacts` checks of the whole body: the envelope. Each contact is then checked
 * on its own against ContactCreate and, when bad, reported by its position, so one bad contact
 * never refuses the others (unless the caller asks for `atomic=true`). Documented as ContactBatch.
 */
export const ContactBatchEnvelope = z.strictObject({
  contacts: z
    .array(z.unknown())
    .min(1, 'must hold at least one contact')
    .max(MAX_CONTACTS_PER_BATCH, `must hold at most ${MAX_CONTACTS_PER_BATCH} contacts; use /v1/contacts:import for more`),
});
export type ContactBatchEnvelope = z.infer<typeof ContactBatchEnvelope>;

/** The columns of a contacts CSV, and the fields of an NDJSON line or an Arrow stream. */
export const contactUploadColumns = [
  'service_id', 'person_id', 'person_ref', 'need_ref', 'occurred_at', 'minutes', 'cost_gbp', 'channel', 'outcome',
  'source_contact_id',
] as const;
export type ContactUploadColumn = (typeof contactUploadColumns)[number];

/**
 * `?atomic=true`: store nothing unless every row is good. Spelt out rather than coerced, so
 * `?atomic=yes` is an error, not a silent false.
 */
export const ContactImportQuery = z.strictObject({
  atomic: z
    .enum(['true', 'false'], 'must be true or false')
    .optional()
    .describe('true: store nothing if any row is rejected (the answer is then 422). false (the default): store the good rows and report the bad ones.'),
});
export type ContactImportQuery = z.infer<typeof ContactImportQuery>;

export const MAX_LISTED_CONTACT_REJECTIONS = 100;

export const ContactRejection = z.strictObject({
  line: z.int().min(1).describe(
    'Where the row is: the line of a CSV (the header is line 1) or NDJSON file; the row number, from 1, of an Arrow stream or a JSON batch.',
  ),
  field: z.string().describe('The field at fault; "" when the whole row is.'),
  reason: z.string().describe('Why; it never repeats the value sent.'),
});
export type ContactRejection = z.infer<typeof ContactRejection>;

/** What an import did: the same for a JSON batch, a streamed upload and the command line. */
export const ContactImportReport = z.strictObject({
  rows_received: Count.describe('Rows read from the upload.'),
  accepted: Count.describe('Rows stored now.'),
  duplicates: Count.describe('Good rows already stored (same organisation, service, person, time and source id), or repeated within the upload: stored once, left as they were.'),
  rejected: Count.describe('Rows refused; none of them is stored.'),
  rejections: z.array(ContactRejection).max(MAX_LISTED_CONTACT_REJECTIONS).describe(
    `The first ${MAX_LISTED_CONTACT_REJECTIONS} problems, in upload order; a row with two problems appears twice.`,
  ),
});
export type ContactImportReport = z.infer<typeof ContactImportReport>;

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

import { OpenAPIHono } from '@hono/zod-openapi';
import {
  ContactBatch, ContactBatchEnvelope, ContactImportQuery, ContactImportReport, ErrorBody, MAX_LISTED_CONTACT_REJECTIONS, contactUploadColumns,
  type DatabaseHandle,
} from '@firstmile/schema';
import { z } from 'zod';
import { importContacts, readContactRows, type ContactFileFormat, type Pseudonymiser } from '../../domain/contacts/index.ts';
import type { LargerBody } from '../../http/body-limit.ts';
import type { AppEnv } from '../../http/env.ts';
import { json } from '../../http/json.ts';
import { HttpProblem } from '../../http/problem.ts';
import { apiRoute } from '../../http/route.ts';

/** A JSON batch of 10,000 contacts with long identifiers is some 7 MB; leave room. */
export const contactBatchBodyLimit: LargerBody = { path: /^\/v1\/contacts$/, maxBytes: 16 * 1024 * 1024 };

/**
 * Both contacts routes write through a pool client of their own in their own transaction
 * (COPY needs a raw pg client), so the per-request transaction would only hold a second
 * connection; the import's body is a stream of any size, which the JSON body limit would buffer.
 */
export const contactRoutesWithOwnTransaction: readonly RegExp[] = [/^\/v1\/contacts$/, /^\/v1\/contacts:import$/];
export const contactRoutesWithStreamedBody: readonly RegExp[] = [/^\/v1\/contacts:import$/];

const tags = ['Contacts'];

const mediaTypes: ReadonlyMap<string, ContactFileFormat> = new Map([
  ['text/csv', 'csv'],
  ['application/x-ndjson', 'ndjson'],
  ['application/vnd.apache.arrow.stream', 'arrow'],
]);

async function* noBody(): AsyncGenerator<Uint8Array> {}

/** The upload's format from its media type; text must be UTF-8. */
function uploadFormat(contentType: string | undefined): ContactFileFormat {
  const given = contentType?.split(';')[0]?.trim().toLowerCase();
  const format = given === undefined ? undefined : mediaTypes.get(given);
  if (format === undefined) {
    throw new HttpProblem('unsupported_media_type', `send the contacts as ${[...mediaTypes.keys()].join(', ')}${given ? `, not ${given}` : ''}`);
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '')?.[1]?.toLowerCase();
  if (format !== 'arrow' && charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new HttpProblem('unsupported_media_type', `send the contacts as UTF-8 (charset=utf-8), not ${charset}`);
  }
  return format;
}

const report = { description: 'What was stored, what was a duplicate, and what was rejected and why', ...json(ContactImportReport) };
const refused = {
  422: {
    description: `Nothing was stored: the body or header is not usable, no row was good, or atomic=true and a row was bad. The details list the first ${MAX_LISTED_CONTACT_REJECTIONS} problems by row and field.`,
    ...json(ErrorBody),
  },
};
const rules =
  'Each contact needs exactly one of person_id (a raw identifier, replaced here by a keyed HMAC before anything is stored) ' +
  'and person_ref (your own pseudonym, stored as given), and a service of your organisation. A contact already stored ' +
  '(same service, person, occurred_at and source_contact_id) counts as a duplicate and is left as it was, so a batch ' +
  'or file sent twice stores nothing twice.';

// The route as validated: only the envelope, so each contact is checked and reported on its own.
const batchRoute = apiRoute({
  method: 'post', path: '/v1/contacts', tags,
  summary: 'Store up to 10,000 contacts; bad ones are reported by position and never stop the good ones (unless atomic=true)',
  description: `${rules} A rejection's line is the contact's position in the batch, from 1.`,
  request: { query: ContactImportQuery, body: { required: true, ...json(ContactBatchEnvelope) } },
  responses: { 200: report, ...refused },
});

/** The contacts routes; `rowLevelSecurity` as for the request transaction. */
export function contactRoutes({ handle, pseudonymiser, rowLevelSecurity }: { handle: DatabaseHandle; pseudonymiser: Pseudonymiser; rowLevelSecurity: boolean }) {
  const routes = new OpenAPIHono<AppEnv>()
    .openapi({ ...batchRoute, hide: true }, async (c) => {
      const { contacts } = c.req.valid('json');
      const result = await importContacts({
        pool: handle.pool,
        actor: c.get('actor'),
        pseudonymiser,
        rows: contacts.map((fields, index) => ({ line: index + 1, fields })),
        atomic: c.req.valid('query').atomic === 'true',
        format: 'json',
        rowLevelSecurity,
      });
      return c.json(result, 200);
    })
    .openapi(
      apiRoute({
        method: 'post', path: '/v1/contacts:import', tags,
        summary: 'Stream contacts of any number as CSV, NDJSON or an Arrow IPC stream; bad rows are reported by line and never stop the good ones (unless atomic=true)',
        description:
          `${rules} The body is read as it arrives and written with COPY, so its size has no limit. ` +
          `CSV: a header line naming the columns (${contactUploadColumns.join(',')}; service_id, occurred_at, minutes, channel, outcome ` +
          'and person_id or person_ref are required, the others may be left out), then one contact a line; empty cells are absent values. ' +
          'NDJSON: one JSON object a line, with the same fields. Arrow: an IPC stream (not the file format) whose fields have those names; ' +
          'occurred_at a timestamp with a time zone or ISO 8601 text; record batches of at most 64 MiB. ' +
          'A rejection\'s line is the line of the CSV (the header is line 1) or NDJSON file, or the row of the Arrow stream, from 1.',
        request: {
          query: ContactImportQuery,
          body: {
            required: true,
            content: {
              'text/csv': { schema: z.string().describe('UTF-8 CSV with a header line.') },
              'application/x-ndjson': { schema: z.string().describe('UTF-8, one JSON object (a contact) a line.') },
              'application/vnd.apache.arrow.stream': { schema: z.string().describe('An Apache Arrow IPC stream.') },
            },
          },
        },
        responses: { 200: report, ...refused },
      }),
      async (c) => {
        const format = uploadFormat(c.req.header('content-type'));
        // Read as it arrives: never buffered whole.
        const body: AsyncIterable<Uint8Array> = c.req.raw.body ?? noBody();
        const result = await importContacts({
          pool: handle.pool,
          actor: c.get('actor'),
          pseudonymiser,
          rows: readContactRows(format, body),
          atomic: c.req.valid('query').atomic === 'true',
          format,
          rowLevelSecurity,
        });
        return c.json(result, 200);
      },
    );
  // Documented as the contract a client writes to; validated as the envelope above.
  routes.openAPIRegistry.registerPath({ ...batchRoute, request: { ...batchRoute.request, body: { required: true, ...json(ContactBatch) } } });
  return routes;
}

import { OpenAPIHono } from '@hono/zod-openapi';
import {
  ErrorBody, IdempotencyHeaders, ProjectIdParams, Snapshot, SnapshotCreate, SnapshotImportResult, Uuid, snapshotCsvColumns,
} from '@firstmile/schema';
import { z } from 'zod';
import { importSnapshotsCsv } from '../../domain/snapshots/import.ts';
import { listSnapshots } from '../../domain/snapshots/read.ts';
import { submitSnapshot } from '../../domain/snapshots/submit.ts';
import type { LargerBody } from '../../http/body-limit.ts';
import type { AppEnv } from '../../http/env.ts';
import { REPLAYED_HEADER, idempotent } from '../../http/idempotency.ts';
import { json } from '../../http/json.ts';
import { HttpProblem } from '../../http/problem.ts';
import { apiRoute } from '../../http/route.ts';

/** A CSV upload may be larger than a JSON body, and is still bounded. */
export const maxCsvImportBytes = 20 * 1024 * 1024;
export const snapshotImportBodyLimit: LargerBody = { path: /^\/v1\/projects\/[^/]+\/snapshots:import$/, maxBytes: maxCsvImportBytes };

const tags = ['Snapshots'];
const replayedHeaders = z.object({
  [REPLAYED_HEADER]: z.literal('true').optional().describe('Present when this is the stored answer to an earlier request with the same Idempotency-Key.'),
});
const conflict = { 409: { description: 'The Idempotency-Key was used for a different request, or the project is archived', ...json(ErrorBody) } };

/**
 * Not strict, unlike ProjectIdParams: Hono's RegExpRouter hands a `:import` suffix over as a
 * parameter of its own (see `exactPath` in http/route.ts).
 */
const ImportParams = z.object({ projectId: Uuid });

/** The file's text; anything but UTF-8 is refused rather than read as something else. */
function csvText(contentType: string | undefined, bytes: ArrayBuffer): string {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new HttpProblem('unsupported_media_type', `send the CSV as UTF-8 (charset=utf-8), not ${charset}`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HttpProblem('bad_request', 'the CSV is not valid UTF-8 text');
  }
}

export const snapshotRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    apiRoute({
      method: 'get', path: '/v1/projects/{projectId}/snapshots', tags,
      summary: "Every version of a project's snapshots the key may see (a funder: the periods it funds)",
      request: { params: ProjectIdParams },
      responses: { 200: { description: 'Snapshots, oldest period first, each version with its status', ...json(z.strictObject({ snapshots: z.array(Snapshot) })) } },
    }),
    async (c) => c.json({ snapshots: await listSnapshots({ db: c.get('db'), actor: c.get('actor'), projectId: c.req.valid('param').projectId }) }, 200),
  )
  .openapi(
    apiRoute(
      {
        method: 'post', path: '/v1/projects/{projectId}/snapshots', tags,
        summary: 'Submit one period: observations and stories. Re-submitting a period makes a new version and supersedes the old one',
        request: { params: ProjectIdParams, headers: IdempotencyHeaders, body: { required: true, ...json(SnapshotCreate) } },
        responses: { 201: { description: 'The new version', headers: replayedHeaders, ...json(Snapshot) }, ...conflict },
      },
      { middleware: [idempotent()] },
    ),
    async (c) =>
      c.json(await submitSnapshot({ db: c.get('db'), actor: c.get('actor'), projectId: c.req.valid('param').projectId, input: c.req.valid('json') }), 201),
  )
  .openapi(
    apiRoute(
      {
        method: 'post', path: '/v1/projects/{projectId}/snapshots:import', tags,
        summary: 'Upload figures for one or many periods as CSV; good rows are stored, bad rows reported by line',
        description:
          `The first line names the columns: ${snapshotCsvColumns.join(',')} (period_start, period_end and metric_key are required; ` +
          'optional columns may be left out). One row per metric and period. Each period present becomes a new snapshot version ' +
          'holding exactly that period\'s accepted rows and no stories (the superseded version keeps its own). Up to 20 MB.',
        request: {
          params: ImportParams,
          headers: IdempotencyHeaders,
          body: { required: true, content: { 'text/csv': { schema: z.string().describe('UTF-8 CSV with a header line.') } } },
        },
        responses: {
          201: { description: 'What was accepted and rejected, and the new versions', headers: replayedHeaders, ...json(SnapshotImportResult) },
          ...conflict,
        },
      },
      { middleware: [idempotent()] },
    ),
    async (c) => {
      const text = csvText(c.req.header('content-type'), await c.req.arrayBuffer());
      return c.json(await importSnapshotsCsv({ db: c.get('db'), actor: c.get('actor'), projectId: c.req.valid('param').projectId, text }), 201);
    },
  );

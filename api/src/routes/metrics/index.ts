import { OpenAPIHono } from '@hono/zod-openapi';
import { ErrorBody, Metric, MetricCreate, MetricKeyParams, MetricUpdate } from '@firstmile/schema';
import { z } from 'zod';
import { getMetric, listMetrics } from '../../domain/metrics/read.ts';
import { createMetric, updateMetric } from '../../domain/metrics/write.ts';
import type { AppEnv } from '../../http/env.ts';
import { json } from '../../http/json.ts';
import { apiRoute } from '../../http/route.ts';

export const metricRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    apiRoute({
      method: 'get', path: '/v1/metrics', tags: ['Metrics'],
      summary: "The built-in catalogue and the custom metrics of the key's own organisation (all, for admins); other organisations' custom metrics are not listed",
      responses: { 200: { description: 'Metrics, archived ones included, each with its unit cost and that cost\'s source', ...json(z.strictObject({ metrics: z.array(Metric) })) } },
    }),
    async (c) => c.json({ metrics: await listMetrics({ db: c.get('db'), actor: c.get('actor') }) }, 200),
  )
  .openapi(
    apiRoute({
      method: 'post', path: '/v1/metrics', tags: ['Metrics'],
      summary: "Add a custom metric for your organisation (admins: for any organisation, or to the built-in catalogue when organisation_id is left out); a key already taken is 409",
      request: { body: { required: true, ...json(MetricCreate) } },
      responses: { 201: { description: 'Created', ...json(Metric) }, 409: { description: 'The key is already taken', ...json(ErrorBody) } },
    }),
    async (c) => c.json(await createMetric({ db: c.get('db'), actor: c.get('actor'), input: c.req.valid('json') }), 201),
  )
  .openapi(
    apiRoute({
      method: 'get', path: '/v1/metrics/{key}', tags: ['Metrics'],
      summary: "One metric of the built-in catalogue or of the key's own organisation; another organisation's custom metric is 404",
      request: { params: MetricKeyParams },
      responses: { 200: { description: 'The metric', ...json(Metric) } },
    }),
    async (c) => c.json(await getMetric({ db: c.get('db'), actor: c.get('actor'), key: c.req.valid('param').key }), 200),
  )
  .openapi(
    apiRoute({
      method: 'patch', path: '/v1/metrics/{key}', tags: ['Metrics'],
      summary: 'Edit, archive or restore a custom metric of your organisation (admins: any, the built-in catalogue included); key and kind are fixed',
      request: { params: MetricKeyParams, body: { required: true, ...json(MetricUpdate) } },
      responses: { 200: { description: 'The metric as it now is', ...json(Metric) } },
    }),
    async (c) => c.json(await updateMetric({ db: c.get('db'), actor: c.get('actor'), key: c.req.valid('param').key, input: c.req.valid('json') }), 200),
  );

import { OpenAPIHono } from '@hono/zod-openapi';
import { IdParams, Service, ServiceCreate, ServiceUpdate } from '@firstmile/schema';
import { z } from 'zod';
import { getService, listServices } from '../../domain/services/read.ts';
import { createService, updateService } from '../../domain/services/write.ts';
import type { AppEnv } from '../../http/env.ts';
import { json } from '../../http/json.ts';
import { apiRoute } from '../../http/route.ts';

export const serviceRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    apiRoute({
      method: 'get', path: '/v1/services', tags: ['Administration'],
      summary: "Services the key may see: its organisation's, and for a commissioner every service in its places (all, for admins)",
      responses: { 200: { description: 'Services, archived ones included', ...json(z.strictObject({ services: z.array(Service) })) } },
    }),
    async (c) => c.json({ services: await listServices({ db: c.get('db'), actor: c.get('actor') }) }, 200),
  )
  .openapi(
    apiRoute({
      method: 'post', path: '/v1/services', tags: ['Administration'],
      summary: "Create a service: a submitter for its own organisation, an admin for the organisation it names; project_id must be the same organisation's",
      request: { body: { required: true, ...json(ServiceCreate) } },
      responses: { 201: { description: 'Created', ...json(Service) } },
    }),
    async (c) => c.json(await createService({ db: c.get('db'), actor: c.get('actor'), input: c.req.valid('json') }), 201),
  )
  .openapi(
    apiRoute({
      method: 'get', path: '/v1/services/{id}', tags: ['Administration'], summary: 'One service',
      request: { params: IdParams },
      responses: { 200: { description: 'The service', ...json(Service) } },
    }),
    async (c) => c.json(await getService({ db: c.get('db'), actor: c.get('actor'), id: c.req.valid('param').id }), 200),
  )
  .openapi(
    apiRoute({
      method: 'patch', path: '/v1/services/{id}', tags: ['Administration'], summary: 'Edit, archive or restore a service of your organisation',
      request: { params: IdParams, body: { required: true, ...json(ServiceUpdate) } },
      responses: { 200: { description: 'The service as it now is', ...json(Service) } },
    }),
    async (c) => c.json(await updateService({ db: c.get('db'), actor: c.get('actor'), id: c.req.valid('param').id, input: c.req.valid('json') }), 200),
  );

import { OpenAPIHono } from '@hono/zod-openapi';
import { IdParams, Organisation, OrganisationCreate, OrganisationUpdate } from '@firstmile/schema';
import { z } from 'zod';
import { getOrganisation, listOrganisations } from '../../domain/organisations/read.ts';
import { createOrganisation, updateOrganisation } from '../../domain/organisations/write.ts';
import type { AppEnv } from '../../http/env.ts';
import { apiRoute } from '../../http/route.ts';

import { json } from '../../http/json.ts';

export const organisationRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    apiRoute({
      method: 'get', path: '/v1/organisations', tags: ['Administration'], summary: 'Organisations the key may see',
      responses: { 200: { description: 'Organisations', ...json(z.strictObject({ organisations: z.array(Organisation) })) } },
    }),
    async (c) => c.json({ organisations: await listOrganisations({ db: c.get('db'), actor: c.get('actor') }) }, 200),
  )
  .openapi(
    apiRoute({
      method: 'post', path: '/v1/organisations', tags: ['Administration'], summary: 'Create an organisation (admins)',
      request: { body: { required: true, ...json(OrganisationCreate) } },
      responses: { 201: { description: 'Created', ...json(Organisation) } },
    }),
    async (c) => c.json(await createOrganisation({ db: c.get('db'), actor: c.get('actor'), input: c.req.valid('json') }), 201),
  )
  .openapi(
    apiRoute({
      method: 'get', path: '/v1/organisations/{id}', tags: ['Administration'], summary: 'One organisation',
      request: { params: IdParams },
      responses: { 200: { description: 'The organisation', ...json(Organisation) } },
    }),
    async (c) => c.json(await getOrganisation({ db: c.get('db'), actor: c.get('actor'), id: c.req.valid('param').id }), 200),
  )
  .openapi(
    apiRoute({
      method: 'patch', path: '/v1/organisations/{id}', tags: ['Administration'], summary: 'Rename, archive or restore an organisation',
      request: { params: IdParams, body: { required: true, ...json(OrganisationUpdate) } },
      responses: { 200: { description: 'The organisation as it now is', ...json(Organisation) } },
    }),
    async (c) =>
      c.json(await updateOrganisation({ db: c.get('db'), actor: c.get('actor'), id: c.req.valid('param').id, input: c.req.valid('json') }), 200),
  );

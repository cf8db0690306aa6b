import { OpenAPIHono } from '@hono/zod-openapi';
import { Funding, FundingCreate, FundingUpdate, IdParams } from '@firstmile/schema';
import { z } from 'zod';
import { getFunding, listFunding } from '../../domain/funding/read.ts';
import { createFunding, updateFunding } from '../../domain/funding/write.ts';
import type { AppEnv } from '../../http/env.ts';
import { json } from '../../http/json.ts';
import { apiRoute } from '../../http/route.ts';

export const fundingRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    apiRoute({
      method: 'get', path: '/v1/funding', tags: ['Administration'],
      summary: "Funding links of the key's organisation, as the provider funded or as the funder (all, for admins)",
      responses: { 200: { description: 'Funding links, archived ones included', ...json(z.strictObject({ funding: z.array(Funding) })) } },
    }),
    async (c) => c.json({ funding: await listFunding({ db: c.get('db'), actor: c.get('actor') }) }, 200),
  )
  .openapi(
    apiRoute({
      method: 'post', path: '/v1/funding', tags: ['Administration'],
      summary: 'Link a funder to a project (admins); the funder then sees the project and its data for the funded dates',
      request: { body: { required: true, ...json(FundingCreate) } },
      responses: { 201: { description: 'Created', ...json(Funding) } },
    }),
    async (c) => c.json(await createFunding({ db: c.get('db'), actor: c.get('actor'), input: c.req.valid('json') }), 201),
  )
  .openapi(
    apiRoute({
      method: 'get', path: '/v1/funding/{id}', tags: ['Administration'], summary: 'One funding link',
      request: { params: IdParams },
      responses: { 200: { description: 'The funding link', ...json(Funding) } },
    }),
    async (c) => c.json(await getFunding({ db: c.get('db'), actor: c.get('actor'), id: c.req.valid('param').id }), 200),
  )
  .openapi(
    apiRoute({
      method: 'patch', path: '/v1/funding/{id}', tags: ['Administration'], summary: 'Change the dates or amount of a funding link, archive or restore it (admins)',
      request: { params: IdParams, body: { required: true, ...json(FundingUpdate) } },
      responses: { 200: { description: 'The funding link as it now is', ...json(Funding) } },
    }),
    async (c) => c.json(await updateFunding({ db: c.get('db'), actor: c.get('actor'), id: c.req.valid('param').id, input: c.req.valid('json') }), 200),
  );

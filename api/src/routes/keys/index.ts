import { OpenAPIHono } from '@hono/zod-openapi';
import { ApiKey, ApiKeyCreate, ApiKeyCreated, ApiKeyUpdate, IdParams } from '@firstmile/schema';
import { z } from 'zod';
import { createApiKey, listApiKeys, updateApiKey } from '../../domain/keys/manage.ts';
import type { AppEnv } from '../../http/env.ts';
import { json } from '../../http/json.ts';
import { apiRoute } from '../../http/route.ts';

export const keyRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    apiRoute({
      method: 'get', path: '/v1/keys', tags: ['Administration'], summary: "The caller's organisation's API keys (all, for admins)",
      responses: { 200: { description: 'Keys, without their secrets', ...json(z.strictObject({ keys: z.array(ApiKey) })) } },
    }),
    async (c) => c.json({ keys: await listApiKeys({ db: c.get('db'), actor: c.get('actor') }) }, 200),
  )
  .openapi(
    apiRoute({
      method: 'post', path: '/v1/keys', tags: ['Administration'], summary: 'Create an API key for an organisation (admins); the key is shown once',
      request: { body: { required: true, ...json(ApiKeyCreate) } },
      responses: { 201: { description: 'The new key, shown this once', ...json(ApiKeyCreated) } },
    }),
    async (c) => c.json(await createApiKey({ db: c.get('db'), actor: c.get('actor'), input: c.req.valid('json') }), 201),
  )
  .openapi(
    apiRoute({
      method: 'patch', path: '/v1/keys/{id}', tags: ['Administration'], summary: 'Relabel or revoke a key',
      request: { params: IdParams, body: { required: true, ...json(ApiKeyUpdate) } },
      responses: { 200: { description: 'The key as it now is', ...json(ApiKey) } },
    }),
    async (c) => c.json(await updateApiKey({ db: c.get('db'), actor: c.get('actor'), id: c.req.valid('param').id, input: c.req.valid('json') }), 200),
  );

import { OpenAPIHono } from '@hono/zod-openapi';
import { ErrorBody, IdParams, StoriesQuery, Story, StoryUpdate } from '@firstmile/schema';
import { z } from 'zod';
import { listStories } from '../../domain/stories/read.ts';
import { updateStory } from '../../domain/stories/write.ts';
import type { AppEnv } from '../../http/env.ts';
import { json } from '../../http/json.ts';
import { apiRoute } from '../../http/route.ts';

const tags = ['Stories'];

export const storyRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    apiRoute({
      method: 'get', path: '/v1/stories', tags,
      summary: 'Stories of current snapshots the key may read, within their consent; every read is audited',
      request: { query: StoriesQuery },
      responses: { 200: { description: 'Stories, newest first', ...json(z.strictObject({ stories: z.array(Story) })) } },
    }),
    async (c) => c.json({ stories: await listStories({ db: c.get('db'), actor: c.get('actor'), query: c.req.valid('query') }) }, 200),
  )
  .openapi(
    apiRoute({
      method: 'patch', path: '/v1/stories/{id}', tags,
      summary: "Clear a story's personal-data flags after checking its text (its own organisation, or an admin)",
      request: { params: IdParams, body: { required: true, ...json(StoryUpdate) } },
      responses: {
        200: { description: 'The story as it now is', ...json(Story) },
        409: { description: 'The story has no personal-data flags to clear', ...json(ErrorBody) },
      },
    }),
    async (c) => c.json(await updateStory({ db: c.get('db'), actor: c.get('actor'), id: c.req.valid('param').id, input: c.req.valid('json') }), 200),
  );

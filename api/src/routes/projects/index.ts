import { OpenAPIHono } from '@hono/zod-openapi';
import { IdParams, Project, ProjectCreate, ProjectUpdate } from '@firstmile/schema';
import { z } from 'zod';
import { getProject, listProjects } from '../../domain/projects/read.ts';
import { createProject, updateProject } from '../../domain/projects/write.ts';
import type { AppEnv } from '../../http/env.ts';
import { json } from '../../http/json.ts';
import { apiRoute } from '../../http/route.ts';

export const projectRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    apiRoute({
      method: 'get', path: '/v1/projects', tags: ['Administration'],
      summary: "Projects the key may see: its organisation's, and for a funder the projects it funds (all, for admins)",
      responses: { 200: { description: 'Projects, archived ones included', ...json(z.strictObject({ projects: z.array(Project) })) } },
    }),
    async (c) => c.json({ projects: await listProjects({ db: c.get('db'), actor: c.get('actor') }) }, 200),
  )
  .openapi(
    apiRoute({
      method: 'post', path: '/v1/projects', tags: ['Administration'],
      summary: "Create a project: a submitter for its own provider organisation, an admin for the provider it names",
      request: { body: { required: true, ...json(ProjectCreate) } },
      responses: { 201: { description: 'Created', ...json(Project) } },
    }),
    async (c) => c.json(await createProject({ db: c.get('db'), actor: c.get('actor'), input: c.req.valid('json') }), 201),
  )
  .openapi(
    apiRoute({
      method: 'get', path: '/v1/projects/{id}', tags: ['Administration'], summary: 'One project',
      request: { params: IdParams },
      responses: { 200: { description: 'The project', ...json(Project) } },
    }),
    async (c) => c.json(await getProject({ db: c.get('db'), actor: c.get('actor'), id: c.req.valid('param').id }), 200),
  )
  .openapi(
    apiRoute({
      method: 'patch', path: '/v1/projects/{id}', tags: ['Administration'], summary: 'Edit, archive or restore a project of your organisation',
      request: { params: IdParams, body: { required: true, ...json(ProjectUpdate) } },
      responses: { 200: { description: 'The project as it now is', ...json(Project) } },
    }),
    async (c) => c.json(await updateProject({ db: c.get('db'), actor: c.get('actor'), id: c.req.valid('param').id, input: c.req.valid('json') }), 200),
  );

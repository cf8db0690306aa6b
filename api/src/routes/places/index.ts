import { OpenAPIHono } from '@hono/zod-openapi';
import {
  CommissionerPlace, CommissionerPlaceCreate, CommissionerPlaceParams, CommissionerPlaceUpdate, ErrorBody, IdParams,
  Place, PlaceCodeParams, PlaceCreate, PlaceUpdate,
} from '@firstmile/schema';
import { z } from 'zod';
import { listCommissionerPlaces, listPlaces } from '../../domain/places/read.ts';
import { createCommissionerPlace, createPlace, updateCommissionerPlace, updatePlace } from '../../domain/places/write.ts';
import type { AppEnv } from '../../http/env.ts';
import { json } from '../../http/json.ts';
import { apiRoute } from '../../http/route.ts';

/** Place names (`/v1/places`), and the places each commissioner is linked to. */
export const placeRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    apiRoute({
      method: 'get', path: '/v1/places', tags: ['Administration'], summary: 'Place names, shared by everyone',
      responses: { 200: { description: 'Places', ...json(z.strictObject({ places: z.array(Place) })) } },
    }),
    async (c) => c.json({ places: await listPlaces({ db: c.get('db') }) }, 200),
  )
  .openapi(
    apiRoute({
      method: 'post', path: '/v1/places', tags: ['Administration'], summary: 'Name a place code (admins); place codes elsewhere stay free text',
      request: { body: { required: true, ...json(PlaceCreate) } },
      responses: { 201: { description: 'Created', ...json(Place) }, 409: { description: 'The code already has a name', ...json(ErrorBody) } },
    }),
    async (c) => c.json(await createPlace({ db: c.get('db'), actor: c.get('actor'), input: c.req.valid('json') }), 201),
  )
  .openapi(
    apiRoute({
      method: 'patch', path: '/v1/places/{code}', tags: ['Administration'], summary: 'Rename a place (admins)',
      request: { params: PlaceCodeParams, body: { required: true, ...json(PlaceUpdate) } },
      responses: { 200: { description: 'The place as it now is', ...json(Place) } },
    }),
    async (c) => c.json(await updatePlace({ db: c.get('db'), actor: c.get('actor'), code: c.req.valid('param').code, input: c.req.valid('json') }), 200),
  )
  .openapi(
    apiRoute({
      method: 'get', path: '/v1/organisations/{id}/places', tags: ['Administration'],
      summary: "The places a commissioner is linked to, archived links included (its own keys and admins; anyone else gets 404)",
      request: { params: IdParams },
      responses: { 200: { description: 'Place links', ...json(z.strictObject({ places: z.array(CommissionerPlace) })) } },
    }),
    async (c) => c.json({ places: await listCommissionerPlaces({ db: c.get('db'), actor: c.get('actor'), organisationId: c.req.valid('param').id }) }, 200),
  )
  .openapi(
    apiRoute({
      method: 'post', path: '/v1/organisations/{id}/places', tags: ['Administration'],
      summary: 'Link a commissioner organisation to a place (admins); 422 if the organisation is not a commissioner',
      request: { params: IdParams, body: { required: true, ...json(CommissionerPlaceCreate) } },
      responses: { 201: { description: 'Created', ...json(CommissionerPlace) }, 409: { description: 'The organisation is already linked to the place', ...json(ErrorBody) } },
    }),
    async (c) =>
      c.json(await createCommissionerPlace({ db: c.get('db'), actor: c.get('actor'), organisationId: c.req.valid('param').id, input: c.req.valid('json') }), 201),
  )
  .openapi(
    apiRoute({
      method: 'patch', path: '/v1/organisations/{id}/places/{placeCode}', tags: ['Administration'],
      summary: "Archive or restore a commissioner's place link (admins)",
      request: { params: CommissionerPlaceParams, body: { required: true, ...json(CommissionerPlaceUpdate) } },
      responses: { 200: { description: 'The place link as it now is', ...json(CommissionerPlace) } },
    }),
    async (c) => {
      const { id, placeCode } = c.req.valid('param');
      return c.json(await updateCommissionerPlace({ db: c.get('db'), actor: c.get('actor'), organisationId: id, placeCode, input: c.req.valid('json') }), 200);
    },
  );

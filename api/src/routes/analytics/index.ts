import { OpenAPIHono } from '@hono/zod-openapi';
import { DidQuery, DidResult, OutcomesBody, OutcomesQuery, SystemBody, SystemQuery } from '@firstmile/schema';
import { outcomeDid } from '../../domain/analytics/did.ts';
import { listOutcomes } from '../../domain/analytics/outcomes.ts';
import { listSystem } from '../../domain/analytics/system.ts';
import type { AppEnv } from '../../http/env.ts';
import { json } from '../../http/json.ts';
import { apiRoute } from '../../http/route.ts';

const tags = ['Analytics'];

const protection =
  'Figures are exact for the submitting organisation and admins; everyone else sees them under small-number protection ' +
  '(counts 1–7 withheld as null and named in suppressed_fields, others rounded to the nearest 5, everything derived recomputed from the rounded counts).';

export const analyticsRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    apiRoute({
      method: 'get', path: '/v1/outcomes', tags,
      summary: 'Outcomes: rates with 95% intervals, comparisons, events prevented and preventative benefit',
      description:
        'The ETL\'s figures for the projects the key may see (its own organisation\'s; a funder\'s, for the periods it funds; a commissioner\'s, in its places), ' +
        'rolled up to month, quarter or year (a snapshot goes to the bucket holding its start) and to project, portfolio or place: ' +
        'numerators and denominators are summed, comparator rates weighted by denominator. ' +
        `Benefit parameters (deadweight, displacement, attribution, drop_off, years, discount_rate, discounting) are echoed in every row's assumptions. ${protection}`,
      request: { query: OutcomesQuery },
      responses: { 200: { description: 'Rows ordered by metric, period, place and project', ...json(OutcomesBody) } },
    }),
    async (c) => c.json(await listOutcomes({ db: c.get('db'), actor: c.get('actor'), query: c.req.valid('query') }), 200),
  )
  .openapi(
    apiRoute({
      method: 'get', path: '/v1/outcomes/did', tags,
      summary: 'Difference-in-differences of a project against its baseline comparator between two periods',
      description:
        'a and b are the period_start dates of two of the project\'s periods for the metric, both with a baseline comparator. ' +
        `422 names the field when a period is missing or has no baseline comparator; 404 when the project is not visible. ${protection}`,
      request: { query: DidQuery },
      responses: { 200: { description: 'Additive and ratio-of-ratios difference-in-differences', ...json(DidResult) } },
    }),
    async (c) => c.json(await outcomeDid({ db: c.get('db'), actor: c.get('actor'), query: c.req.valid('query') }), 200),
  )
  .openapi(
    apiRoute({
      method: 'get', path: '/v1/system', tags,
      summary: 'Part-system efficiency per service and whole-system effectiveness per place',
      description:
        'level=service: contacts, people, minutes, cost, cost and minutes per contact, repeat conversations, per service and period. ' +
        'level=place: the same over every service in the place, plus needs, needs resolved and, for the needs resolved in the period, contacts, minutes, cost and distinct services per resolved need over all their contacts. ' +
        'Without level: place rows alone when place= is given without service=, otherwise both levels, told apart by each row\'s level ' +
        '(with service=, the place rows are those of the service\'s place). ' +
        'Service rows are exact for the service\'s own organisation and admins; place rows, which mix every organisation\'s contacts, for admins alone; ' +
        'otherwise counts are protected (1–7 withheld, others rounded to the nearest 5) and ratios recomputed from the rounded counts; minutes and money are sums and shown as they are.',
      request: { query: SystemQuery },
      responses: { 200: { description: 'Service rows, then place rows, each by period', ...json(SystemBody) } },
    }),
    async (c) => c.json({ system: await listSystem({ db: c.get('db'), actor: c.get('actor'), query: c.req.valid('query') }) }, 200),
  );

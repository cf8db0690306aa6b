// Query strings of the list endpoints. Every value arrives as a string; each filter here is a
// string format (UUID, date, slug, place code), so nothing is coerced: zod's coercion would
// turn `?x=` into 0 and a repeated parameter into "a,b". A repeated parameter (an array from
// the router) is refused with its name. Unknown parameters are refused too, so a misspelt
// filter is an error rather than silently ignored.
import { z } from 'zod';
import { IsoDateString, MetricKey, PlaceCode, ThemeSlug, Uuid, checkOrder } from './common.ts';

export const grains = ['month', 'quarter', 'year'] as const;
export type Grain = (typeof grains)[number];
export const GrainEnum = z.enum(grains).describe('The period rows are rolled up to.');

const From = IsoDateString.optional().describe('Only periods ending on or after this date.');
const To = IsoDateString.optional().describe('Only periods starting on or before this date.');
const ORDER_MESSAGE = 'must not be before from';

/** `GET /v1/outcomes` */
export const OutcomesQuery = z
  .strictObject({
    project: Uuid.optional().describe('A project id.'),
    funder: Uuid.optional().describe('A funder organisation id: its funded projects, for the funded dates.'),
    place: PlaceCode.optional(),
    metric: MetricKey.optional(),
    from: From,
    to: To,
    grain: GrainEnum.optional(),
  })
  .superRefine((q, ctx) => checkOrder(ctx, q.from, q.to, ['to'], ORDER_MESSAGE));
export type OutcomesQuery = z.infer<typeof OutcomesQuery>;

/** `GET /v1/system` */
export const SystemQuery = z
  .strictObject({
    place: PlaceCode.optional(),
    service: Uuid.optional().describe('A service id.'),
    from: From,
    to: To,
    grain: GrainEnum.optional(),
  })
  .superRefine((q, ctx) => checkOrder(ctx, q.from, q.to, ['to'], ORDER_MESSAGE));
export type SystemQuery = z.infer<typeof SystemQuery>;

/** `GET /v1/stories` */
export const StoriesQuery = z.strictObject({
  project: Uuid.optional().describe('A project id.'),
  metric: MetricKey.optional().describe('Stories linked to this metric.'),
  theme: ThemeSlug.optional().describe('Stories tagged with this theme.'),
});
export type StoriesQuery = z.infer<typeof StoriesQuery>;

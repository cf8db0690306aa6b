import { z } from 'zod';
import { Archived, Name, PlaceCode, TimestampString, Uuid, atLeastOneField, lifecycleFields } from './common.ts';

// Places give area codes a name for charts; `place_code` elsewhere stays free text.
export const PlaceCreate = z.strictObject({
  code: PlaceCode,
  name: Name,
});
export type PlaceCreate = z.infer<typeof PlaceCreate>;

export const PlaceUpdate = atLeastOneField(z.strictObject({ name: Name.optional() }));
export type PlaceUpdate = z.infer<typeof PlaceUpdate>;

export const Place = z.strictObject({
  code: PlaceCode,
  name: Name,
  created_at: TimestampString,
});
export type Place = z.infer<typeof Place>;

/** Path parameters of `/v1/places/{code}`. */
export const PlaceCodeParams = z.strictObject({ code: PlaceCode });
export type PlaceCodeParams = z.infer<typeof PlaceCodeParams>;

/** `POST /v1/organisations/{id}/places`: link a commissioner to a place it sees aggregates for. */
export const CommissionerPlaceCreate = z.strictObject({ place_code: PlaceCode });
export type CommissionerPlaceCreate = z.infer<typeof CommissionerPlaceCreate>;

export const CommissionerPlaceUpdate = atLeastOneField(z.strictObject({ archived: Archived.optional() }));
export type CommissionerPlaceUpdate = z.infer<typeof CommissionerPlaceUpdate>;

/** Path parameters of `/v1/organisations/{id}/places/{placeCode}`. */
export const CommissionerPlaceParams = z.strictObject({ id: Uuid, placeCode: PlaceCode });
export type CommissionerPlaceParams = z.infer<typeof CommissionerPlaceParams>;

export const CommissionerPlace = z.strictObject({
  organisation_id: Uuid.describe('The commissioner.'),
  place_code: PlaceCode,
  ...lifecycleFields,
});
export type CommissionerPlace = z.infer<typeof CommissionerPlace>;

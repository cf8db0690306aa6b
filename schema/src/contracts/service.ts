import { z } from 'zod';
import { serviceKinds } from '../db/services.ts';
import {
  Archived, Name, PlaceCode, Uuid, atLeastOneField, lifecycleFields, moneyGbp, text,
} from './common.ts';

export const ServiceKindEnum = z.enum(serviceKinds).describe('What kind of team people have contact with.');

const UnitCost = moneyGbp(12).describe(
  'Default cost of one contact in pounds, used when a contact gives no cost of its own.',
);
const UnitCostSource = text({ max: 500 }).describe('Where the unit cost comes from; required with it.');
const SOURCE_REQUIRED = 'is required when unit_cost_gbp_per_contact is given';

export const ServiceCreate = z
  .strictObject({
    organisation_id: Uuid.optional().describe(
      'The organisation the service belongs to; defaults to the caller\'s (required for admins).',
    ),
    name: Name,
    kind: ServiceKindEnum,
    place_code: PlaceCode,
    project_id: Uuid.optional().describe('Set when the service is a Firstmile project\'s own team.'),
    unit_cost_gbp_per_contact: UnitCost.optional(),
    unit_cost_source: UnitCostSource.optional(),
  })
  .superRefine((s, ctx) => {
    if (s.unit_cost_gbp_per_contact !== undefined && s.unit_cost_source === undefined) {
      ctx.addIssue({ code: 'custom', path: ['unit_cost_source'], message: SOURCE_REQUIRED });
    }
  });
export type ServiceCreate = z.infer<typeof ServiceCreate>;

/** A new unit cost must come with its source; null clears a field. */
export const ServiceUpdate = atLeastOneField(
  z.strictObject({
    name: Name.optional(),
    kind: ServiceKindEnum.optional(),
    place_code: PlaceCode.optional(),
    project_id: Uuid.nullable().optional(),
    unit_cost_gbp_per_contact: UnitCost.nullable().optional(),
    unit_cost_source: UnitCostSource.nullable().optional(),
    archived: Archived.optional(),
  }),
).superRefine((s, ctx) => {
  if (typeof s.unit_cost_gbp_per_contact === 'number' && typeof s.unit_cost_source !== 'string') {
    ctx.addIssue({ code: 'custom', path: ['unit_cost_source'], message: SOURCE_REQUIRED });
  }
});
export type ServiceUpdate = z.infer<typeof ServiceUpdate>;

export const Service = z.strictObject({
  id: Uuid,
  organisation_id: Uuid,
  name: Name,
  kind: ServiceKindEnum,
  place_code: PlaceCode,
  project_id: Uuid.nullable(),
  unit_cost_gbp_per_contact: UnitCost.nullable(),
  unit_cost_source: UnitCostSource.nullable(),
  ...lifecycleFields,
});
export type Service = z.infer<typeof Service>;

import { z } from 'zod';
import { sectors } from '../db/projects.ts';
import { Archived, IsoDateString, Name, PlaceCode, Uuid, atLeastOneField, lifecycleFields } from './common.ts';

export const SectorEnum = z.enum(sectors).describe('The sector the project works in.');

export const ProjectCreate = z.strictObject({
  organisation_id: Uuid.optional().describe(
    'The provider that runs the project; defaults to the caller\'s organisation (required for admins).',
  ),
  name: Name,
  sector: SectorEnum,
  place_code: PlaceCode,
  started_on: IsoDateString.describe('The date the project started working with people.'),
});
export type ProjectCreate = z.infer<typeof ProjectCreate>;

export const ProjectUpdate = atLeastOneField(
  z.strictObject({
    name: Name.optional(),
    sector: SectorEnum.optional(),
    place_code: PlaceCode.optional(),
    started_on: IsoDateString.optional(),
    archived: Archived.optional(),
  }),
);
export type ProjectUpdate = z.infer<typeof ProjectUpdate>;

export const Project = z.strictObject({
  id: Uuid,
  organisation_id: Uuid,
  name: Name,
  sector: SectorEnum,
  place_code: PlaceCode,
  started_on: IsoDateString,
  ...lifecycleFields,
});
export type Project = z.infer<typeof Project>;

import { z } from 'zod';
import { organisationKinds } from '../db/organisations.ts';
import { Archived, Name, Uuid, atLeastOneField, lifecycleFields } from './common.ts';

export const OrganisationKindEnum = z
  .enum(organisationKinds)
  .describe('provider runs projects, funder funds them, commissioner holds places, platform runs Firstmile.');

export const OrganisationCreate = z.strictObject({
  name: Name,
  kind: OrganisationKindEnum,
});
export type OrganisationCreate = z.infer<typeof OrganisationCreate>;

/** The kind is fixed once created: projects, funding and places depend on it. */
export const OrganisationUpdate = atLeastOneField(
  z.strictObject({
    name: Name.optional(),
    archived: Archived.optional(),
  }),
);
export type OrganisationUpdate = z.infer<typeof OrganisationUpdate>;

export const Organisation = z.strictObject({
  id: Uuid,
  name: Name,
  kind: OrganisationKindEnum,
  ...lifecycleFields,
});
export type Organisation = z.infer<typeof Organisation>;

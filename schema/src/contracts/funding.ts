import { z } from 'zod';
import { Archived, IsoDateString, Uuid, atLeastOneField, checkOrder, lifecycleFields, moneyGbp } from './common.ts';

// DESIGN.md names the dates `from` and `to` (the columns are from_date and to_date).
const Amount = moneyGbp(14).describe('The amount of the grant in pounds, whole pence.');
const From = IsoDateString.describe('The first funded day.');
const To = IsoDateString.describe('The last funded day (inclusive); absent or null while open-ended.');
const ORDER_MESSAGE = 'must not be before from';

export const FundingCreate = z
  .strictObject({
    funder_id: Uuid.describe('The funder organisation.'),
    project_id: Uuid,
    from: From,
    to: To.optional(),
    amount_gbp: Amount,
  })
  .superRefine((f, ctx) => checkOrder(ctx, f.from, f.to, ['to'], ORDER_MESSAGE));
export type FundingCreate = z.infer<typeof FundingCreate>;

/** Only the dates given in the patch can be compared here; the API checks them against the stored ones. */
export const FundingUpdate = atLeastOneField(
  z.strictObject({
    from: From.optional(),
    to: To.nullable().optional(),
    amount_gbp: Amount.optional(),
    archived: Archived.optional(),
  }),
).superRefine((f, ctx) => checkOrder(ctx, f.from, f.to, ['to'], ORDER_MESSAGE));
export type FundingUpdate = z.infer<typeof FundingUpdate>;

export const Funding = z.strictObject({
  id: Uuid,
  organisation_id: Uuid.describe('The provider that owns the funded project.'),
  funder_id: Uuid,
  project_id: Uuid,
  from: From,
  to: To.nullable(),
  amount_gbp: Amount,
  ...lifecycleFields,
});
export type Funding = z.infer<typeof Funding>;

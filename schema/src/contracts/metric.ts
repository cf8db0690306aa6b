import { z } from 'zod';
import { metricKinds, metricThemes, polarities } from '../db/metrics.ts';
import {
  Archived, MetricKey, Uuid, atLeastOneField, lifecycleFields, moneyGbp, text,
} from './common.ts';

export const MetricKindEnum = z.enum(metricKinds).describe(
  'count and proportion (numerator ÷ denominator) are the usual kinds; score may be negative.',
);
export const PolarityEnum = z.enum(polarities).describe('Which direction is an improvement.');
export const MetricThemeEnum = z.enum(metricThemes);

const Label = text({ max: 200 }).describe('A short human label, 1–200 characters.');
const Description = text({ min: 0, max: 2000 }).describe('What is counted and how, up to 2000 characters.');
const UnitCostCode = text({ max: 100 }).describe(
  'The unit cost (the price of one avoided event) used to monetise this metric, e.g. "gm-ucd-1.4/HE4.0".',
);

export const MetricCreate = z.strictObject({
  key: MetricKey,
  organisation_id: Uuid.optional().describe(
    'The organisation the custom metric belongs to; defaults to the caller\'s. Admins may omit it for the built-in catalogue.',
  ),
  label: Label,
  kind: MetricKindEnum,
  polarity: PolarityEnum,
  theme: MetricThemeEnum,
  description: Description.default(''),
  unit_cost_code: UnitCostCode.optional(),
});
export type MetricCreate = z.infer<typeof MetricCreate>;

/** Key and kind are fixed: submitted observations were checked against them. */
export const MetricUpdate = atLeastOneField(
  z.strictObject({
    label: Label.optional(),
    polarity: PolarityEnum.optional(),
    theme: MetricThemeEnum.optional(),
    description: Description.optional(),
    unit_cost_code: UnitCostCode.nullable().optional(),
    archived: Archived.optional(),
  }),
);
export type MetricUpdate = z.infer<typeof MetricUpdate>;

/** Path parameters of `/v1/metrics/{key}`. */
export const MetricKeyParams = z.strictObject({ key: MetricKey });
export type MetricKeyParams = z.infer<typeof MetricKeyParams>;

/** A published unit cost, with what a reader needs to judge and cite it. */
export const UnitCost = z.strictObject({
  code: UnitCostCode,
  source_reference: text({ max: 100 }).describe('The reference in the source, e.g. "HE4.0".'),
  label: text({ max: 300 }),
  unit: text({ max: 100 }).describe('e.g. "per attendance".'),
  value_gbp: moneyGbp(12),
  price_year: z.string().regex(/^[0-9]{4}\/[0-9]{2}$/, 'must be a financial year such as 2013/14')
    .describe('The financial year the price is in, e.g. "2013/14".'),
  source: text({ max: 300 }),
  edition: text({ max: 100 }),
  licence: text({ max: 100 }),
});
export type UnitCost = z.infer<typeof UnitCost>;

export const Metric = z.strictObject({
  key: MetricKey,
  organisation_id: Uuid.nullable().describe('null for the built-in catalogue.'),
  label: Label,
  kind: MetricKindEnum,
  polarity: PolarityEnum,
  theme: MetricThemeEnum,
  description: Description,
  unit_cost: UnitCost.nullable(),
  ...lifecycleFields,
});
export type Metric = z.infer<typeof Metric>;

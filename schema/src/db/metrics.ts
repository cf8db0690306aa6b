import type { Selectable } from 'kysely';
import type { CreatedAt, Timestamp } from './columns.ts';

export const metricKinds = [
  'count', 'proportion', 'rate_per_1000', 'duration_minutes', 'currency_gbp', 'score',
] as const;
export type MetricKind = (typeof metricKinds)[number];
export const polarities = ['lower_is_better', 'higher_is_better'] as const;
export type Polarity = (typeof polarities)[number];
export const metricThemes = ['relational', 'outcome', 'system', 'wellbeing'] as const;
export type MetricTheme = (typeof metricThemes)[number];

export interface UnitCostsTable {
  code: string;
  /** Null for the built-in, published figures; set when an organisation adds its own. */
  organisation_id: string | null;
  source_reference: string;
  label: string;
  unit: string;
  value_gbp: number;
  price_year: string;
  source: string;
  edition: string;
  licence: string;
  created_at: CreatedAt;
}
export type UnitCostRow = Selectable<UnitCostsTable>;

export interface MetricsTable {
  key: string;
  /** Null for the built-in catalogue. */
  organisation_id: string | null;
  label: string;
  kind: MetricKind;
  polarity: Polarity;
  theme: MetricTheme;
  description: string;
  unit_cost_code: string | null;
  created_at: CreatedAt;
  archived_at: Timestamp | null;
}
export type MetricRow = Selectable<MetricsTable>;

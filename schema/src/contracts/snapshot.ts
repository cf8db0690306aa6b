import { z } from 'zod';
import {
  comparatorKinds, consentScopes, consentStatuses, snapshotStatuses, storytellerRoles,
  submissionChannels,
} from '../db/snapshots.ts';
import {
  Count, FiniteNumber, IsoDateString, MetricKey, ThemeSlug, TimestampString, Uuid, checkOrder, text, uniqueArray,
} from './common.ts';

// Disaggregation -------------------------------------------------------------------------------

export const MAX_DISAGGREGATION_KEYS = 10;

/**
 * Names that reach prototypes when a consumer copies the object naively. JSON.parse makes
 * `__proto__` an own key, and zod's record silently drops it, so it is caught on the raw input
 * before the record sees it; the other two are caught there too for one message.
 */
const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const DisaggregationKey = text({ max: 64, trim: false }).refine(
  (key) => key === key.trim(),
  'must not start or end with whitespace',
);
const DisaggregationValue = text({ max: 100 });

export const Disaggregation = z
  .preprocess<unknown, z.ZodRecord<typeof DisaggregationKey, typeof DisaggregationValue>, Record<string, string>>(
    (input, ctx) => {
      const raw: unknown = input;
      if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
        for (const key of Object.keys(raw)) {
          if (RESERVED_KEYS.has(key)) {
            ctx.addIssue({ code: 'custom', path: [key], message: `"${key}" is a reserved name` });
          }
        }
      }
      return raw;
    },
    z.record(DisaggregationKey, DisaggregationValue).refine(
      (record) => Object.keys(record).length <= MAX_DISAGGREGATION_KEYS,
      `must have at most ${MAX_DISAGGREGATION_KEYS} keys`,
    ),
  )
  .meta({ maxProperties: MAX_DISAGGREGATION_KEYS })
  .describe(
    'The slice of the population the figure describes, e.g. {"age_band": "18-24"}; up to 10 keys of 1–64 characters, values 1–100. {} (the default) is everyone.',
  );
export type Disaggregation = z.infer<typeof Disaggregation>;

/** Order-independent identity of a disaggregation, as jsonb equality in the unique index sees it. */
export function disaggregationKey(d: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.entries(d).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

// Observations ---------------------------------------------------------------------------------

export const ComparatorKindEnum = z.enum(comparatorKinds).describe(
  'Evidence strength, strongest first: control_group (matched) > baseline (own history or a trend) > national_average, target (descriptive only).',
);

const ComparatorSource = text({ max: 500 }).describe('Where the comparator comes from, e.g. a publication.');

export const ComparatorInput = z
  .strictObject({
    value: FiniteNumber.describe('The comparator figure, in the metric\'s unit (a proportion lies between 0 and 1).'),
    kind: ComparatorKindEnum,
    source: ComparatorSource,
    period_start: IsoDateString.optional().describe('First day of the period the comparator describes; give both ends or neither.'),
    period_end: IsoDateString.optional().describe('Last day (inclusive) of the comparator\'s period.'),
  })
  .superRefine((c, ctx) => {
    // A period with one end is ambiguous; a baseline needs both to line up with the project's.
    if (c.period_start !== undefined && c.period_end === undefined) {
      ctx.addIssue({ code: 'custom', path: ['period_end'], message: 'is required with period_start' });
    } else if (c.period_end !== undefined && c.period_start === undefined) {
      ctx.addIssue({ code: 'custom', path: ['period_start'], message: 'is required with period_end' });
    }
    checkOrder(ctx, c.period_start, c.period_end, ['period_end'], 'must not be before period_start');
  });
export type ComparatorInput = z.infer<typeof ComparatorInput>;

/**
 * One figure. Whether a value suits its metric (a proportion between 0 and 1, a count whole and
 * non-negative, numerator and denominator only for proportions) depends on the catalogue, so
 * the API checks that against it.
 */
export const ObservationInput = z
  .strictObject({
    metric_key: MetricKey,
    value: FiniteNumber.optional().describe('The figure; for a proportion give numerator and denominator instead where known.'),
    numerator: Count.optional().describe('For a proportion: how many of the denominator it counts.'),
    denominator: Count.optional().describe('For a proportion: how many people (or events) it is out of.'),
    comparator: ComparatorInput.optional(),
    disaggregation: Disaggregation.default(() => ({})),
  })
  .superRefine((o, ctx) => {
    const hasNumerator = o.numerator !== undefined;
    const hasDenominator = o.denominator !== undefined;
    if (o.value !== undefined && (hasNumerator || hasDenominator)) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'give either value, or numerator and denominator, not both' });
    } else if (hasNumerator && !hasDenominator) {
      ctx.addIssue({ code: 'custom', path: ['denominator'], message: 'is required with numerator' });
    } else if (hasDenominator && !hasNumerator) {
      ctx.addIssue({ code: 'custom', path: ['numerator'], message: 'is required with denominator' });
    } else if (o.value === undefined && !hasNumerator) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'give value, or numerator and denominator' });
    }
    if (o.numerator !== undefined && o.denominator !== undefined && o.numerator > o.denominator) {
      ctx.addIssue({ code: 'custom', path: ['numerator'], message: `must not exceed denominator (${o.denominator})` });
    }
  });
export type ObservationInput = z.infer<typeof ObservationInput>;

export const Comparator = z.strictObject({
  value: FiniteNumber,
  kind: ComparatorKindEnum,
  source: ComparatorSource.nullable(),
  period_start: IsoDateString.nullable(),
  period_end: IsoDateString.nullable(),
});
export type Comparator = z.infer<typeof Comparator>;

const Flag = text({ max: 100 });

export const Observation = z.strictObject({
  metric_key: MetricKey,
  value: FiniteNumber.nullable().describe(
    'The figure as given, or numerator ÷ denominator derived for a proportion; null when the denominator is 0.',
  ),
  numerator: Count.nullable(),
  denominator: Count.nullable(),
  comparator: Comparator.nullable(),
  disaggregation: Disaggregation,
  flags: z.array(Flag).describe('Notes the platform attached to the figure.'),
  suppressed_fields: z
    .array(z.enum(['value', 'numerator', 'denominator']))
    .describe(
      'Fields withheld by small-number protection (counts 1–7 withheld, others rounded to the nearest 5) on views that are not the submitting organisation\'s own; a withheld field is null, never 0.',
    ),
});
export type Observation = z.infer<typeof Observation>;

// Stories ----------------------------------------------------------------------------------------

export const StorytellerRoleEnum = z.enum(storytellerRoles).describe('Whose story it is.');
export const ConsentStatusEnum = z.enum(consentStatuses);
export const ConsentScopeEnum = z.enum(consentScopes).describe(
  'Who may read the story: internal (its own project), funders, or public.',
);

export const ConsentInput = z.strictObject({
  status: ConsentStatusEnum,
  scope: ConsentScopeEnum,
  recorded_on: IsoDateString.optional().describe('When consent was recorded; required when status is given.'),
});
export type ConsentInput = z.infer<typeof ConsentInput>;

const Title = text({ max: 200 }).describe('1–200 characters.');
const Body = text({ max: 10_000 }).describe('Plain text or Markdown, 1–10,000 characters.');
const Themes = uniqueArray(ThemeSlug, 20, 'themes').describe('Up to 20 distinct theme tags.');
const LinkedMetrics = uniqueArray(MetricKey, 50, 'metric keys').describe(
  'Up to 50 distinct metric keys the story helps explain.',
);

export const StoryInput = z
  .strictObject({
    title: Title,
    body: Body,
    themes: Themes.default(() => []),
    linked_metrics: LinkedMetrics.default(() => []),
    storyteller_role: StorytellerRoleEnum,
    consent: ConsentInput,
    anonymised: z.boolean().describe('true when the story identifies nobody.'),
  })
  .superRefine((s, ctx) => {
    // The same rules the stories table checks.
    if (s.consent.status === 'withheld' && s.consent.scope !== 'internal') {
      ctx.addIssue({ code: 'custom', path: ['consent', 'scope'], message: 'must be internal when consent is withheld' });
    }
    if (s.consent.status === 'not_required_anonymised' && !s.anonymised) {
      ctx.addIssue({ code: 'custom', path: ['anonymised'], message: 'must be true when consent is not_required_anonymised' });
    }
    if (s.consent.status === 'given' && s.consent.recorded_on === undefined) {
      ctx.addIssue({ code: 'custom', path: ['consent', 'recorded_on'], message: 'is required when consent is given' });
    }
  });
export type StoryInput = z.infer<typeof StoryInput>;

export const Consent = z.strictObject({
  status: ConsentStatusEnum,
  scope: ConsentScopeEnum,
  recorded_on: IsoDateString.nullable(),
});
export type Consent = z.infer<typeof Consent>;

export const Story = z.strictObject({
  id: Uuid,
  snapshot_id: Uuid,
  project_id: Uuid,
  title: Title,
  body: Body,
  themes: Themes,
  linked_metrics: LinkedMetrics,
  storyteller_role: StorytellerRoleEnum,
  consent: Consent,
  anonymised: z.boolean(),
  pii_flags: z.array(Flag).describe(
    'What the personal-information check found in the text (email, phone, postcode, nhs_number). While a flag stands and is not cleared, the story stays within its own organisation whatever its consent scope.',
  ),
  pii_cleared_at: TimestampString.nullable().describe(
    'When someone of the story\'s organisation (or an admin) checked the flagged text and cleared it for sharing; null until then.',
  ),
  pii_cleared_by: Uuid.nullable().describe('The API key that cleared the flags.'),
  created_at: TimestampString,
});
export type Story = z.infer<typeof Story>;

/** `PATCH /v1/stories/{id}`: a person has checked the flagged text. */
export const StoryUpdate = z.strictObject({
  pii_cleared: z
    .boolean()
    .describe(
      'true: the personal-data flags were checked and the story may travel within its consent scope; false withdraws that clearance.',
    ),
});
export type StoryUpdate = z.infer<typeof StoryUpdate>;

// Snapshots --------------------------------------------------------------------------------------

export const MAX_OBSERVATIONS = 500;
export const MAX_STORIES = 50;

/** `POST /v1/projects/{projectId}/snapshots`: one project's figures and stories for one period. */
export const SnapshotCreate = z
  .strictObject({
    period_start: IsoDateString.describe('First day of the period.'),
    period_end: IsoDateString.describe('Last day of the period (inclusive).'),
    observations: z
      .array(ObservationInput)
      .min(1, 'must hold at least one observation')
      .max(MAX_OBSERVATIONS, `must hold at most ${MAX_OBSERVATIONS} observations`)
      .describe('1–500 observations, each metric_key + disaggregation at most once.'),
    stories: z
      .array(StoryInput)
      .max(MAX_STORIES, `must hold at most ${MAX_STORIES} stories`)
      .default(() => [])
      .describe('Up to 50 stories.'),
  })
  .superRefine((s, ctx) => {
    checkOrder(ctx, s.period_start, s.period_end, ['period_end'], 'must not be before period_start');
    // The database keeps one observation per metric and disaggregation within a snapshot.
    const seen = new Map<string, number>();
    s.observations.forEach((o, index) => {
      const key = JSON.stringify([o.metric_key, disaggregationKey(o.disaggregation)]);
      const first = seen.get(key);
      if (first === undefined) seen.set(key, index);
      else {
        ctx.addIssue({
          code: 'custom',
          path: ['observations', index],
          message: `repeats observations[${first}]: same metric_key and disaggregation`,
        });
      }
    });
  });
export type SnapshotCreate = z.infer<typeof SnapshotCreate>;

export const SnapshotStatusEnum = z.enum(snapshotStatuses).describe(
  'current is the latest version for its project and period; re-submitting supersedes it.',
);
export const SubmissionChannelEnum = z.enum(submissionChannels);

export const Snapshot = z.strictObject({
  id: Uuid,
  project_id: Uuid,
  period_start: IsoDateString,
  period_end: IsoDateString,
  version: z.int().min(1).describe('1, 2, … per project and period.'),
  status: SnapshotStatusEnum,
  submitted_at: TimestampString,
  submitted_by: Uuid.nullable().describe('The API key that submitted it; null when loaded by the CLI.'),
  submitted_via: SubmissionChannelEnum,
  observations: z.array(Observation),
  stories: z.array(Story),
});
export type Snapshot = z.infer<typeof Snapshot>;

// CSV import -------------------------------------------------------------------------------------

/** The columns of `POST /v1/projects/{projectId}/snapshots:import`, in the documented order. */
export const snapshotCsvColumns = [
  'period_start', 'period_end', 'metric_key', 'value', 'numerator', 'denominator',
  'comparator_value', 'comparator_kind', 'comparator_source',
] as const;
export type SnapshotCsvColumn = (typeof snapshotCsvColumns)[number];

const Line = z.int().min(1).describe('The line of the file, counting the header as line 1.');

export const ImportAccepted = z.strictObject({
  line: Line,
  period_start: IsoDateString,
  metric_key: MetricKey,
  snapshot_id: Uuid.describe('The new snapshot version the row is stored in.'),
  version: z.int().min(1),
});
export type ImportAccepted = z.infer<typeof ImportAccepted>;

export const ImportRejected = z.strictObject({
  line: Line,
  field: z.string().describe('The column at fault; "" when the whole row is.'),
  reason: z.string(),
});
export type ImportRejected = z.infer<typeof ImportRejected>;

/** What a CSV import did, row by row: good rows are stored even when others are refused. */
export const SnapshotImportResult = z.strictObject({
  accepted: z.array(ImportAccepted),
  rejected: z.array(ImportRejected).describe('One entry per problem; a row with two problems appears twice.'),
  snapshots: z.array(Snapshot).describe('One new version for each period the accepted rows cover.'),
});
export type SnapshotImportResult = z.infer<typeof SnapshotImportResult>;

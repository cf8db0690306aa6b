import { describe, expect, it } from 'vitest';
import {
  Disaggregation, Snapshot, SnapshotCreate, SnapshotImportResult, Story, StoryInput, StoryUpdate, disaggregationKey,
} from './snapshot.ts';
import { IdempotencyHeaders } from './idempotency.ts';
import { accepted, json, problems } from './test-helpers.ts';

const story = {
  title: 'Same worker, every week',
  body: 'She said it was the first time nobody had asked her to repeat her story.',
  themes: ['continuity', 'trust'],
  linked_metrics: ['repeat_conversations'],
  storyteller_role: 'person',
  consent: { status: 'given', scope: 'funders', recorded_on: '2026-02-14' },
  anonymised: true,
};

const submission = () => ({
  period_start: '2026-01-01',
  period_end: '2026-03-31',
  observations: [
    { metric_key: 'reoffending_12m', numerator: 12, denominator: 80,
      comparator: { value: 0.25, kind: 'national_average', source: 'MoJ proven reoffending statistics' } },
    { metric_key: 'people_supported', value: 80 },
    { metric_key: 'loneliness', numerator: 20, denominator: 60, disaggregation: { age_band: '18-24' } },
  ] as Record<string, unknown>[],
  stories: [structuredClone(story)] as Record<string, unknown>[],
});

/** A submission with one observation replaced. */
function withObservation(observation: Record<string, unknown>, index = 0) {
  const s = submission();
  s.observations[index] = observation;
  return s;
}

function withStory(changes: Record<string, unknown>) {
  const s = submission();
  s.stories = [{ ...structuredClone(story), ...changes }];
  return s;
}

describe('SnapshotCreate', () => {
  it('accepts a realistic submission and fills the defaults', () => {
    const parsed = accepted(SnapshotCreate, { ...submission(), stories: undefined });
    expect(parsed.stories).toEqual([]);
    expect(parsed.observations[0]).toEqual({
      metric_key: 'reoffending_12m', numerator: 12, denominator: 80, disaggregation: {},
      comparator: { value: 0.25, kind: 'national_average', source: 'MoJ proven reoffending statistics' },
    });
    expect(parsed.observations[2]?.disaggregation).toEqual({ age_band: '18-24' });
    expect(accepted(SnapshotCreate, submission()).stories[0]).toEqual(story);
  });

  it('accepts a one-day period and refuses one that ends before it starts', () => {
    accepted(SnapshotCreate, { ...submission(), period_end: '2026-01-01' });
    expect(problems(SnapshotCreate, { ...submission(), period_end: '2025-12-31' })).toEqual([
      { path: 'period_end', message: 'must not be before period_start' },
    ]);
  });

  it('refuses years outside 1900–2200 in the period', () => {
    expect(problems(SnapshotCreate, { ...submission(), period_start: '1899-12-01' })).toEqual([
      { path: 'period_start', message: 'must lie between 1900-01-01 and 2200-12-31' },
    ]);
  });

  it('names unknown fields at every level', () => {
    const s = submission();
    s.observations[1] = { metric_key: 'people_supported', value: 80, unit: 'people' };
    expect(problems(SnapshotCreate, { ...s, note: 'hi', Period_start: '2026-01-01' })).toEqual([
      { path: 'observations[1].unit', message: 'unknown field' },
      { path: 'note', message: 'unknown field' },
      { path: 'Period_start', message: 'unknown field' },
    ]);
  });

  it('holds 1 to 500 observations and up to 50 stories', () => {
    expect(problems(SnapshotCreate, { ...submission(), observations: [] })).toEqual([
      { path: 'observations', message: 'must hold at least one observation' },
    ]);
    const many = Array.from({ length: 501 }, (_, i) => ({ metric_key: 'people_supported', value: i, disaggregation: { n: String(i) } }));
    expect(problems(SnapshotCreate, { ...submission(), observations: many })).toEqual([
      { path: 'observations', message: 'must hold at most 500 observations' },
    ]);
    accepted(SnapshotCreate, { ...submission(), observations: many.slice(0, 500) });
    const stories = Array.from({ length: 51 }, () => structuredClone(story));
    expect(problems(SnapshotCreate, { ...submission(), stories })).toEqual([
      { path: 'stories', message: 'must hold at most 50 stories' },
    ]);
  });

  describe('duplicate observations', () => {
    it('points at the repeat of a metric and disaggregation', () => {
      const s = submission();
      s.observations.push({ metric_key: 'people_supported', value: 81 });
      expect(problems(SnapshotCreate, s)).toEqual([
        { path: 'observations[3]', message: 'repeats observations[1]: same metric_key and disaggregation' },
      ]);
    });

    it('treats an absent disaggregation as {} and ignores key order, as jsonb does', () => {
      const s = submission();
      s.observations.push({ metric_key: 'people_supported', value: 81, disaggregation: {} });
      s.observations.push({ metric_key: 'loneliness', value: 0.3, disaggregation: { sex: 'F', age_band: '18-24' } });
      s.observations.push({ metric_key: 'loneliness', value: 0.3, disaggregation: { age_band: '18-24', sex: 'F' } });
      expect(problems(SnapshotCreate, s)).toEqual([
        { path: 'observations[3]', message: 'repeats observations[1]: same metric_key and disaggregation' },
        { path: 'observations[5]', message: 'repeats observations[4]: same metric_key and disaggregation' },
      ]);
    });

    it('allows the same metric for different slices', () => {
      const s = submission();
      s.observations.push({ metric_key: 'loneliness', numerator: 5, denominator: 9, disaggregation: { age_band: '25-34' } });
      s.observations.push({ metric_key: 'loneliness', numerator: 25, denominator: 69 });
      accepted(SnapshotCreate, s);
    });

    it('disaggregationKey does not depend on key order', () => {
      expect(disaggregationKey({ b: '1', a: '2' })).toBe(disaggregationKey({ a: '2', b: '1' }));
      expect(disaggregationKey({ a: '1' })).not.toBe(disaggregationKey({ a: '2' }));
    });
  });
});

describe('observations', () => {
  it('accept a value alone, or a numerator with its denominator', () => {
    accepted(SnapshotCreate, withObservation({ metric_key: 'ae_attendances', value: 0 }));
    accepted(SnapshotCreate, withObservation({ metric_key: 'repeat_conversations', numerator: 0, denominator: 0 }));
    accepted(SnapshotCreate, withObservation({ metric_key: 'repeat_conversations', numerator: 7, denominator: 7 }));
    accepted(SnapshotCreate, withObservation({ metric_key: 'wellbeing_score', value: -3.5 }));
  });

  it('refuse neither, both, and half a pair', () => {
    expect(problems(SnapshotCreate, withObservation({ metric_key: 'ae_attendances' }, 1))).toEqual([
      { path: 'observations[1].value', message: 'give value, or numerator and denominator' },
    ]);
    expect(problems(SnapshotCreate, withObservation({ metric_key: 'ae_attendances', value: 0.2, numerator: 1, denominator: 5 }))).toEqual([
      { path: 'observations[0].value', message: 'give either value, or numerator and denominator, not both' },
    ]);
    expect(problems(SnapshotCreate, withObservation({ metric_key: 'loneliness', numerator: 4 }, 2))).toEqual([
      { path: 'observations[2].denominator', message: 'is required with numerator' },
    ]);
    expect(problems(SnapshotCreate, withObservation({ metric_key: 'loneliness', denominator: 4 }, 2))).toEqual([
      { path: 'observations[2].numerator', message: 'is required with denominator' },
    ]);
  });

  it('refuse a numerator above its denominator', () => {
    expect(problems(SnapshotCreate, withObservation({ metric_key: 'loneliness', numerator: 61, denominator: 60 }, 2))).toEqual([
      { path: 'observations[2].numerator', message: 'must not exceed denominator (60)' },
    ]);
  });

  it('refuse non-finite, fractional and negative counts', () => {
    const body = json(`{"period_start":"2026-01-01","period_end":"2026-03-31","observations":[
      {"metric_key":"ae_attendances","value":1e999},
      {"metric_key":"loneliness","numerator":-1,"denominator":2.5}]}`);
    expect(problems(SnapshotCreate, body)).toEqual([
      { path: 'observations[0].value', message: 'must be a finite number' },
      { path: 'observations[1].numerator', message: 'must not be negative' },
      { path: 'observations[1].denominator', message: 'must be a whole number' },
    ]);
  });

  describe('comparator', () => {
    const comparator = (changes: Record<string, unknown>) => withObservation({
      metric_key: 'non_elective_admissions', value: 43,
      comparator: { value: 50, kind: 'baseline', source: 'Own 2024 figures', ...changes },
    });

    it('accepts a period with both ends, or none', () => {
      accepted(SnapshotCreate, comparator({}));
      accepted(SnapshotCreate, comparator({ period_start: '2024-01-01', period_end: '2024-03-31' }));
    });

    it('refuses a period with one end or in the wrong order', () => {
      expect(problems(SnapshotCreate, comparator({ period_start: '2024-01-01' }))).toEqual([
        { path: 'observations[0].comparator.period_end', message: 'is required with period_start' },
      ]);
      expect(problems(SnapshotCreate, comparator({ period_end: '2024-01-01' }))).toEqual([
        { path: 'observations[0].comparator.period_start', message: 'is required with period_end' },
      ]);
      expect(problems(SnapshotCreate, comparator({ period_start: '2024-03-31', period_end: '2024-01-01' }))).toEqual([
        { path: 'observations[0].comparator.period_end', message: 'must not be before period_start' },
      ]);
    });

    it('requires value, kind and source, and knows the kinds', () => {
      expect(problems(SnapshotCreate, comparator({ kind: 'peer_group', source: ' ', extra: 1 }))).toEqual([
        {
          path: 'observations[0].comparator.kind',
          message: 'Invalid option: expected one of "national_average"|"baseline"|"control_group"|"target"',
        },
        { path: 'observations[0].comparator.source', message: 'must not be empty' },
        { path: 'observations[0].comparator.extra', message: 'unknown field' },
      ]);
    });
  });
});

describe('disaggregation', () => {
  const RESERVED = (key: string) => ({ path: `observations[0].disaggregation.${key}`, message: `"${key}" is a reserved name` });
  const withDisaggregation = (d: string) =>
    json(`{"period_start":"2026-01-01","period_end":"2026-01-31","observations":[{"metric_key":"loneliness","value":0.2,"disaggregation":${d}}]}`);

  it('refuses __proto__, constructor and prototype keys, even as JSON.parse makes them', () => {
    expect(problems(SnapshotCreate, withDisaggregation('{"__proto__":"x","age_band":"18-24"}'))).toEqual([RESERVED('__proto__')]);
    expect(problems(SnapshotCreate, withDisaggregation('{"__proto__":{"polluted":"yes"}}'))).toEqual([RESERVED('__proto__')]);
    expect(problems(SnapshotCreate, withDisaggregation('{"constructor":"x","prototype":"y"}'))).toEqual([
      RESERVED('constructor'), RESERVED('prototype'),
    ]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('holds at most 10 short keys with short values', () => {
    const ten = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, 'v']));
    expect(accepted(Disaggregation, ten)).toEqual(ten);
    expect(problems(SnapshotCreate, withDisaggregation(JSON.stringify({ ...ten, k10: 'v' })))).toEqual([
      { path: 'observations[0].disaggregation', message: 'must have at most 10 keys' },
    ]);
    expect(problems(SnapshotCreate, withDisaggregation(JSON.stringify({ ['k'.repeat(65)]: 'v', ' padded': 'v', 'age band': 'x'.repeat(101) })))).toEqual([
      { path: `observations[0].disaggregation.${'k'.repeat(65)}`, message: 'key must be at most 64 characters' },
      { path: 'observations[0].disaggregation[" padded"]', message: 'key must not start or end with whitespace' },
      { path: 'observations[0].disaggregation["age band"]', message: 'must be at most 100 characters' },
    ]);
  });

  it('refuses non-string values, NUL and lone surrogates', () => {
    expect(problems(SnapshotCreate, withDisaggregation('{"age":18,"sex":"\\u0000","area":"\\ud800"}'))).toEqual([
      { path: 'observations[0].disaggregation.age', message: 'Invalid input: expected string, received number' },
      { path: 'observations[0].disaggregation.sex', message: 'must not contain NUL characters or unpaired UTF-16 surrogates' },
      { path: 'observations[0].disaggregation.area', message: 'must not contain NUL characters or unpaired UTF-16 surrogates' },
    ]);
  });

  it('refuses arrays and null', () => {
    expect(problems(SnapshotCreate, withDisaggregation('["a"]'))).toEqual([
      { path: 'observations[0].disaggregation', message: 'Invalid input: expected record, received array' },
    ]);
    expect(problems(SnapshotCreate, withDisaggregation('null'))).toEqual([
      { path: 'observations[0].disaggregation', message: 'Invalid input: expected record, received null' },
    ]);
  });
});

describe('stories', () => {
  it('accept each consent status with what it needs', () => {
    accepted(SnapshotCreate, withStory({ consent: { status: 'given', scope: 'public', recorded_on: '2026-01-05' } }));
    accepted(SnapshotCreate, withStory({ consent: { status: 'withheld', scope: 'internal' }, anonymised: false }));
    accepted(SnapshotCreate, withStory({ consent: { status: 'not_required_anonymised', scope: 'funders' }, anonymised: true }));
  });

  it('keep a story without consent inside its project', () => {
    expect(problems(SnapshotCreate, withStory({ consent: { status: 'withheld', scope: 'funders' } }))).toEqual([
      { path: 'stories[0].consent.scope', message: 'must be internal when consent is withheld' },
    ]);
  });

  it('require anonymity when consent is not required for that reason', () => {
    expect(problems(SnapshotCreate, withStory({ consent: { status: 'not_required_anonymised', scope: 'public' }, anonymised: false }))).toEqual([
      { path: 'stories[0].anonymised', message: 'must be true when consent is not_required_anonymised' },
    ]);
  });

  it('require the date consent was given', () => {
    expect(problems(SnapshotCreate, withStory({ consent: { status: 'given', scope: 'funders' } }))).toEqual([
      { path: 'stories[0].consent.recorded_on', message: 'is required when consent is given' },
    ]);
  });

  it('bound title, body, themes and linked metrics', () => {
    accepted(StoryInput, { ...story, body: 'b'.repeat(10_000), title: 't'.repeat(200), themes: Array.from({ length: 20 }, (_, i) => `t${i}`) });
    expect(problems(SnapshotCreate, withStory({
      title: 't'.repeat(201),
      body: 'b'.repeat(10_001),
      themes: Array.from({ length: 21 }, (_, i) => `t${i}`),
      linked_metrics: Array.from({ length: 51 }, (_, i) => `m${i}`),
    }))).toEqual([
      { path: 'stories[0].title', message: 'must be at most 200 characters' },
      { path: 'stories[0].body', message: 'must be at most 10000 characters' },
      { path: 'stories[0].themes', message: 'must hold at most 20 themes' },
      { path: 'stories[0].linked_metrics', message: 'must hold at most 50 metric keys' },
    ]);
  });

  it('refuse repeated and malformed tags at their index', () => {
    expect(problems(SnapshotCreate, withStory({ themes: ['trust', 'Trust', 'trust'], linked_metrics: ['loneliness', 'x'] }))).toEqual([
      { path: 'stories[0].themes[1]', message: 'must be 1–40 characters of a–z, 0–9, _ and -, starting with a letter' },
      { path: 'stories[0].themes[2]', message: 'repeats item [0]' },
      { path: 'stories[0].linked_metrics[1]', message: 'must be 2–63 characters of a–z, 0–9 and _, starting with a letter' },
    ]);
    expect(problems(SnapshotCreate, withStory({ themes: ['trust', 'agency', 'trust'] }))).toEqual([
      { path: 'stories[0].themes[2]', message: 'repeats item [0]' },
    ]);
  });

  it('refuse a 10 MB body, a NUL in the title and a missing consent', () => {
    const { consent: _omitted, ...withoutConsent } = story;
    const s = submission();
    s.stories = [
      { ...story, body: 'x'.repeat(10 * 1024 * 1024) },
      { ...story, title: 'Hello\u0000' },
      withoutConsent,
    ];
    expect(problems(SnapshotCreate, s)).toEqual([
      { path: 'stories[0].body', message: 'must be at most 10000 characters' },
      { path: 'stories[1].title', message: 'must not contain NUL characters or unpaired UTF-16 surrogates' },
      { path: 'stories[2].consent', message: 'Invalid input: expected object, received undefined' },
    ]);
  });
});

describe('Snapshot (response)', () => {
  const response = {
    id: '6f1c1a52-94a4-4f7e-8d0c-1f2f3a4b5c6d',
    project_id: '1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d',
    period_start: '2026-01-01',
    period_end: '2026-03-31',
    version: 2,
    status: 'current',
    submitted_at: '2026-04-02T10:15:00.000Z',
    submitted_by: null,
    submitted_via: 'api',
    observations: [{
      metric_key: 'reoffending_12m', value: 0.15, numerator: 12, denominator: 80,
      comparator: { value: 0.25, kind: 'national_average', source: 'MoJ', period_start: null, period_end: null },
      disaggregation: {}, flags: [], suppressed_fields: [],
    }, {
      metric_key: 'repeat_conversations', value: null, numerator: null, denominator: 0,
      comparator: null, disaggregation: { age_band: '18-24' }, flags: ['zero_denominator'], suppressed_fields: ['numerator', 'value'],
    }],
    stories: [{
      ...story, id: '2a3b4c5d-6e7f-4809-9a1b-2c3d4e5f6a7b', snapshot_id: '6f1c1a52-94a4-4f7e-8d0c-1f2f3a4b5c6d',
      project_id: '1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d', pii_flags: ['phone'], pii_cleared_at: '2026-04-03T08:00:00.000Z',
      pii_cleared_by: '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d', created_at: '2026-04-02T10:15:00.000Z',
    }],
  };

  it('describes what the API returns', () => {
    expect(accepted(Snapshot, response)).toEqual(response);
  });

  it('is strict, so the API cannot leak a column', () => {
    expect(problems(Snapshot, { ...response, organisation_id: response.project_id })).toEqual([
      { path: 'organisation_id', message: 'unknown field' },
    ]);
  });
});

describe('Story (response)', () => {
  it('says whether and by whom personal-data flags were cleared', () => {
    const story = {
      id: '2a3b4c5d-6e7f-4809-9a1b-2c3d4e5f6a7b', snapshot_id: '6f1c1a52-94a4-4f7e-8d0c-1f2f3a4b5c6d',
      project_id: '1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d', title: 'T', body: 'B', themes: [], linked_metrics: [],
      storyteller_role: 'person', consent: { status: 'withheld', scope: 'internal', recorded_on: null }, anonymised: false,
      pii_flags: ['email'], created_at: '2026-04-02T10:15:00.000Z',
    };
    expect(problems(Story, story)).toEqual([
      { path: 'pii_cleared_at', message: 'must be an ISO 8601 timestamp with seconds and an offset, e.g. 2026-03-01T09:30:00Z' },
      { path: 'pii_cleared_by', message: 'must be a UUID' },
    ]);
    expect(accepted(Story, { ...story, pii_cleared_at: null, pii_cleared_by: null })).toMatchObject({ pii_cleared_at: null });
  });
});

describe('StoryUpdate', () => {
  it('takes pii_cleared and nothing else', () => {
    expect(accepted(StoryUpdate, { pii_cleared: true })).toEqual({ pii_cleared: true });
    expect(accepted(StoryUpdate, { pii_cleared: false })).toEqual({ pii_cleared: false });
    expect(problems(StoryUpdate, {})).toEqual([
      { path: 'pii_cleared', message: 'Invalid input: expected boolean, received undefined' },
    ]);
    expect(problems(StoryUpdate, { pii_cleared: 'yes', title: 'x' })).toEqual([
      { path: 'pii_cleared', message: 'Invalid input: expected boolean, received string' },
      { path: 'title', message: 'unknown field' },
    ]);
  });
});

describe('SnapshotImportResult', () => {
  it('reports accepted rows, rejected rows with their line and column, and the new snapshots', () => {
    const result = {
      accepted: [{ line: 2, period_start: '2026-01-01', metric_key: 'people_supported', snapshot_id: '6f1c1a52-94a4-4f7e-8d0c-1f2f3a4b5c6d', version: 1 }],
      rejected: [{ line: 3, field: 'numerator', reason: 'must not exceed denominator (10)' }, { line: 4, field: '', reason: 'has 3 fields; the header has 9' }],
      snapshots: [],
    };
    expect(accepted(SnapshotImportResult, result)).toEqual(result);
    expect(problems(SnapshotImportResult, { ...result, rejected: [{ line: 0, field: '', reason: 'x' }] })).toEqual([
      { path: 'rejected[0].line', message: 'Too small: expected number to be >=1' },
    ]);
  });
});

describe('IdempotencyHeaders', () => {
  it('takes an optional key of 1–255 characters, kept byte for byte, and lets other headers through', () => {
    expect(accepted(IdempotencyHeaders, { 'idempotency-key': ' a b ', authorization: 'Bearer x' })).toEqual({ 'idempotency-key': ' a b ' });
    expect(accepted(IdempotencyHeaders, {})).toEqual({});
    expect(problems(IdempotencyHeaders, { 'idempotency-key': '' })).toEqual([{ path: '["idempotency-key"]', message: 'must not be empty' }]);
    expect(problems(IdempotencyHeaders, { 'idempotency-key': 'k'.repeat(256) })).toEqual([
      { path: '["idempotency-key"]', message: 'must be at most 255 characters' },
    ]);
  });
});

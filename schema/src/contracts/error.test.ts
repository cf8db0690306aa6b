import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ErrorBody, errorCodes, errorStatuses, formatPath, validationDetails } from './error.ts';
import { SnapshotCreate } from './snapshot.ts';

function errorOf(schema: z.ZodType, input: unknown): z.ZodError {
  const result = schema.safeParse(input);
  if (result.success) throw new Error('expected a failure');
  return result.error;
}

describe('formatPath', () => {
  it('writes paths as JavaScript accessors', () => {
    expect(formatPath([])).toBe('');
    expect(formatPath(['observations', 2, 'numerator'])).toBe('observations[2].numerator');
    expect(formatPath([0, 'a'])).toBe('[0].a');
    expect(formatPath(['disaggregation', 'age band', 'x-y', '__proto__', '$ok', '1a'])).toBe(
      'disaggregation["age band"]["x-y"].__proto__.$ok["1a"]',
    );
    expect(formatPath(['a', 'quote"d'])).toBe('a["quote\\"d"]');
    expect(formatPath(['a', Symbol('s')])).toBe('a[Symbol(s)]');
  });
});

describe('validationDetails', () => {
  it('lists every problem of a bad submission with its exact path, in order', () => {
    const body = JSON.parse(`{
      "period_start": "2026-03-31", "period_end": "2026-01-01", "colour": "red",
      "observations": [
        {"metric_key": "loneliness", "value": 0.2},
        {"metric_key": "loneliness", "value": 0.3},
        {"metric_key": "reoffending_12m", "numerator": 90, "denominator": 80, "disaggregation": {"__proto__": "x"}},
        {"metric_key": "Bad Key", "value": 1e999, "extra": true}
      ],
      "stories": [{"title": "", "body": "b", "storyteller_role": "person", "anonymised": false,
                   "consent": {"status": "withheld", "scope": "public"}}]
    }`);
    expect(validationDetails(errorOf(SnapshotCreate, body))).toEqual([
      { path: 'observations[2].disaggregation.__proto__', message: '"__proto__" is a reserved name' },
      { path: 'observations[3].metric_key', message: 'must be 2–63 characters of a–z, 0–9 and _, starting with a letter' },
      { path: 'observations[3].value', message: 'must be a finite number' },
      { path: 'observations[3].extra', message: 'unknown field' },
      { path: 'stories[0].title', message: 'must not be empty' },
      { path: 'stories[0].consent.scope', message: 'must be internal when consent is withheld' },
      { path: 'colour', message: 'unknown field' },
    ]);
  });

  it('reports every cross-field rule together, and waits for malformed fields first', () => {
    const body = {
      period_start: '2026-03-31', period_end: '2026-01-01',
      observations: [
        { metric_key: 'loneliness', value: 0.2 },
        { metric_key: 'loneliness', value: 0.3 },
        { metric_key: 'reoffending_12m', numerator: 90, denominator: 80 },
      ] as Record<string, unknown>[],
    };
    expect(validationDetails(errorOf(SnapshotCreate, body))).toEqual([
      { path: 'observations[2].numerator', message: 'must not exceed denominator (80)' },
      { path: 'period_end', message: 'must not be before period_start' },
      { path: 'observations[1]', message: 'repeats observations[0]: same metric_key and disaggregation' },
    ]);
    // A value of the wrong type stops the checks that span the whole submission (they would
    // be reading a malformed object); they are reported once it is fixed.
    body.observations[0] = { metric_key: 'loneliness', value: '0.2' };
    expect(validationDetails(errorOf(SnapshotCreate, body))).toEqual([
      { path: 'observations[0].value', message: 'must be a finite number' },
      { path: 'observations[2].numerator', message: 'must not exceed denominator (80)' },
    ]);
  });

  it('gives each unknown field its own entry, and says why a record key is bad', () => {
    const schema = z.strictObject({ d: z.record(z.string().max(2, 'too long'), z.string()) });
    expect(validationDetails(errorOf(schema, { d: { abc: 'x' }, e: 1, 'f g': 2 }))).toEqual([
      { path: 'd.abc', message: 'key too long' },
      { path: 'e', message: 'unknown field' },
      { path: '["f g"]', message: 'unknown field' },
    ]);
  });

  it('reports a body that is not an object at the root', () => {
    expect(validationDetails(errorOf(SnapshotCreate, [1]))).toEqual([
      { path: '', message: 'Invalid input: expected object, received array' },
    ]);
  });

  it('merges identical entries and stops at max, saying how many were left out', () => {
    const schema = z.array(z.number().refine(() => false, 'no').refine(() => false, 'no'));
    expect(validationDetails(errorOf(schema, [1, 2]))).toEqual([
      { path: '[0]', message: 'no' },
      { path: '[1]', message: 'no' },
    ]);
    const many = errorOf(schema, Array.from({ length: 250 }, () => 1));
    const capped = validationDetails(many);
    expect(capped).toHaveLength(101);
    expect(capped[99]).toEqual({ path: '[99]', message: 'no' });
    expect(capped[100]).toEqual({ path: '', message: '150 more problems not listed' });
    expect(validationDetails(many, { max: 249 }).at(-1)).toEqual({ path: '', message: '1 more problem not listed' });
    expect(validationDetails(many, { max: 250 })).toHaveLength(250);
  });
});

describe('ErrorBody', () => {
  it('carries a known code, a message and optional details', () => {
    const body = { error: { code: 'validation_failed', message: 'The snapshot is not valid.', details: [{ path: 'period_end', message: 'must not be before period_start' }] } };
    expect(ErrorBody.parse(body)).toEqual(body);
    expect(ErrorBody.parse({ error: { code: 'not_found', message: 'No such project.' } })).toEqual({ error: { code: 'not_found', message: 'No such project.' } });
    expect(ErrorBody.safeParse({ error: { code: 'teapot', message: 'x' } }).success).toBe(false);
  });

  it('maps every code to a status', () => {
    expect(errorCodes.map((c) => errorStatuses[c])).toEqual([400, 401, 403, 404, 409, 413, 415, 422, 429, 500]);
  });
});

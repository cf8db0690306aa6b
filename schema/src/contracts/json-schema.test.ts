// The OpenAPI document is generated from these schemas later; every one must convert, for
// requests (input) and responses (output) alike, with nothing unrepresentable inside.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import * as contracts from './index.ts';

const exported: Record<string, unknown> = { ...contracts };
const schemas: [string, z.ZodType][] = [];
for (const [name, value] of Object.entries(exported)) if (value instanceof z.ZodType) schemas.push([name, value]);

describe('JSON Schema', () => {
  it('finds the schemas', () => {
    expect(schemas.length).toBeGreaterThan(60);
  });

  it.each(schemas)('%s converts for requests and responses', (_name, schema) => {
    for (const io of ['input', 'output'] as const) {
      expect(() => z.toJSONSchema(schema, { io, unrepresentable: 'throw' })).not.toThrow();
    }
  });

  it('keeps what integrators rely on: strictness, bounds, formats, defaults', () => {
    const snapshot: unknown = z.toJSONSchema(contracts.SnapshotCreate, { io: 'input' });
    expect(snapshot).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: ['period_start', 'period_end', 'observations'],
      properties: {
        stories: { type: 'array', maxItems: 50, default: [] },
        observations: {
          minItems: 1,
          maxItems: 500,
          items: {
            additionalProperties: false,
            required: ['metric_key'],
            properties: {
              metric_key: { type: 'string', pattern: '^[a-z][a-z0-9_]{1,62}$' },
              numerator: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
              // No `default` here: zod omits it around a preprocess; the description states it.
              disaggregation: { type: 'object', maxProperties: 10 },
            },
          },
        },
      },
    });
    const project: unknown = z.toJSONSchema(contracts.ProjectCreate);
    expect(project).toMatchObject({
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 200 },
        started_on: { type: 'string', format: 'date' },
        organisation_id: { type: 'string', format: 'uuid' },
      },
    });
  });
});

describe('types', () => {
  it('infer the shapes handlers and clients use', () => {
    expectTypeOf<z.input<typeof contracts.SnapshotCreate>['observations'][number]['disaggregation']>()
      .toEqualTypeOf<Record<string, string> | undefined>();
    expectTypeOf<contracts.SnapshotCreate['observations'][number]['disaggregation']>().toEqualTypeOf<Record<string, string>>();
    expectTypeOf<contracts.SnapshotCreate['stories'][number]['themes']>().toEqualTypeOf<string[]>();
    expectTypeOf<contracts.FundingUpdate['to']>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<contracts.ContactCreate['channel']>().toEqualTypeOf<'face_to_face' | 'phone' | 'online' | 'home_visit' | 'other'>();
    expectTypeOf<contracts.ErrorBody['error']['code']>().toEqualTypeOf<contracts.ErrorCode>();
  });
});

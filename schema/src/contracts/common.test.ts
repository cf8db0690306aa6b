import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Count, FiniteNumber, IsoDateString, MetricKey, Minutes, TimestampString, Uuid, hasAtMostTwoDecimals,
  isStorableText, moneyGbp, text,
} from './common.ts';
import { accepted, json, problems } from './test-helpers.ts';

const Name = text({ max: 200 });
const Holder = z.strictObject({ name: Name });

describe('text()', () => {
  it('trims before measuring, so padding neither counts nor is stored', () => {
    expect(accepted(Name, '  Bridges  ')).toBe('Bridges');
    expect(accepted(Name, ` ${'x'.repeat(200)}\t\n`)).toBe('x'.repeat(200));
  });

  it('refuses blank and over-long text with the field named', () => {
    expect(problems(Holder, { name: '   ' })).toEqual([{ path: 'name', message: 'must not be empty' }]);
    expect(problems(Holder, { name: 'x'.repeat(201) })).toEqual([
      { path: 'name', message: 'must be at most 200 characters' },
    ]);
  });

  it('refuses NUL, which Postgres text cannot hold', () => {
    expect(problems(Holder, json('{"name":"a\\u0000b"}'))).toEqual([
      { path: 'name', message: 'must not contain NUL characters or unpaired UTF-16 surrogates' },
    ]);
  });

  it('refuses lone surrogates, which UTF-8 cannot encode, but keeps paired ones', () => {
    for (const bad of ['"a\\ud800b"', '"\\udc00"', '"x\\ud83d"']) {
      expect(problems(Holder, json(`{"name":${bad}}`))).toEqual([
        { path: 'name', message: 'must not contain NUL characters or unpaired UTF-16 surrogates' },
      ]);
    }
    expect(accepted(Holder, json('{"name":"Café \\ud83d\\ude00"}'))).toEqual({ name: 'Café 😀' });
    expect(isStorableText('plain')).toBe(true);
  });

  it('refuses a 10 MB string with one message, without scanning it further', () => {
    const huge = 'a'.repeat(10 * 1024 * 1024);
    expect(problems(Holder, { name: huge })).toEqual([{ path: 'name', message: 'must be at most 200 characters' }]);
    // Even when the huge string also holds a NUL: the length check stops the rest.
    expect(problems(Holder, { name: `${huge}\u0000` })).toEqual([
      { path: 'name', message: 'must be at most 200 characters' },
    ]);
  });

  it('keeps opaque identifiers as sent when trim is off', () => {
    const Ref = text({ max: 5, trim: false });
    expect(accepted(Ref, ' ab ')).toBe(' ab ');
    expect(problems(Ref, ' abcd ')).toEqual([{ path: '', message: 'must be at most 5 characters' }]);
  });

  it('allows empty text only when min is 0', () => {
    expect(accepted(text({ min: 0, max: 10 }), '  ')).toBe('');
  });
});

describe('IsoDateString', () => {
  it('accepts real dates from 1900-01-01 to 2200-12-31', () => {
    for (const d of ['1900-01-01', '2024-02-29', '2000-02-29', '2200-12-31']) expect(accepted(IsoDateString, d)).toBe(d);
  });

  it('refuses impossible dates and other shapes', () => {
    for (const d of ['2023-02-29', '1900-02-29', '2024-04-31', '2024-13-01', '2024-1-01', '2024-01-01T00:00:00Z', '20240101']) {
      expect(problems(IsoDateString, d)).toEqual([{ path: '', message: 'must be a real calendar date written YYYY-MM-DD' }]);
    }
    expect(problems(IsoDateString, 20240101)).toEqual([
      { path: '', message: 'must be a real calendar date written YYYY-MM-DD' },
    ]);
  });

  it('refuses years outside 1900–2200', () => {
    for (const d of ['1899-12-31', '2201-01-01', '0001-01-01', '9999-12-31']) {
      expect(problems(IsoDateString, d)).toEqual([{ path: '', message: 'must lie between 1900-01-01 and 2200-12-31' }]);
    }
  });
});

describe('TimestampString', () => {
  const FORMAT = 'must be an ISO 8601 timestamp with seconds and an offset, e.g. 2026-03-01T09:30:00Z';
  const RANGE = 'must lie between 1900-01-02T00:00:00Z and 2200-12-30T00:00:00Z';

  it('accepts UTC and offset timestamps, with fractions', () => {
    for (const t of ['2026-03-01T09:30:00Z', '2026-03-01T09:30:00+01:00', '2026-03-01T09:30:00.123456-05:30']) {
      expect(accepted(TimestampString, t)).toBe(t);
    }
  });

  it('refuses local times, missing seconds and impossible dates', () => {
    for (const t of ['2026-03-01T09:30:00', '2026-03-01T09:30Z', '2026-03-01 09:30:00Z', '2023-02-29T00:00:00Z', '2026-03-01']) {
      expect(problems(TimestampString, t)).toEqual([{ path: '', message: FORMAT }]);
    }
  });

  it('refuses instants outside the window the database accepts in every time zone', () => {
    for (const t of ['1899-12-31T23:59:59Z', '1900-01-01T12:00:00Z', '2200-12-30T00:00:01Z', '2201-06-01T00:00:00Z']) {
      expect(problems(TimestampString, t)).toEqual([{ path: '', message: RANGE }]);
    }
    expect(accepted(TimestampString, '1900-01-02T00:00:00Z')).toBe('1900-01-02T00:00:00Z');
    expect(accepted(TimestampString, '2200-12-29T23:00:00-01:00')).toBe('2200-12-29T23:00:00-01:00');
  });
});

describe('numbers', () => {
  it('refuses Infinity (JSON 1e999), -Infinity and NaN', () => {
    const body = json('{"a":1e999,"b":-1e999}') as { a: number; b: number };
    expect(body.a).toBe(Infinity);
    for (const n of [body.a, body.b, Number.NaN]) {
      expect(problems(FiniteNumber, n)).toEqual([{ path: '', message: 'must be a finite number' }]);
      expect(problems(Count, n)).toEqual([{ path: '', message: 'must be a whole number' }]);
      expect(problems(moneyGbp(12), n)).toEqual([{ path: '', message: 'must be a finite number' }]);
    }
  });

  it('turns -0 into 0', () => {
    const minusZero = (json('{"v":-0}') as { v: number }).v;
    expect(Object.is(minusZero, -0)).toBe(true);
    expect(Object.is(accepted(FiniteNumber, minusZero), 0)).toBe(true);
    expect(Object.is(accepted(Count, minusZero), 0)).toBe(true);
    expect(Object.is(accepted(Minutes, minusZero), 0)).toBe(true);
    expect(Object.is(accepted(moneyGbp(12), minusZero), 0)).toBe(true);
  });

  it('keeps counts whole, non-negative and exact', () => {
    expect(accepted(Count, Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
    expect(problems(Count, 2 ** 53)).toEqual([{ path: '', message: 'must be at most 9007199254740991' }]);
    expect(problems(Count, -1)).toEqual([{ path: '', message: 'must not be negative' }]);
    expect(problems(Count, 1.5)).toEqual([{ path: '', message: 'must be a whole number' }]);
    expect(problems(Count, '3')).toEqual([{ path: '', message: 'must be a whole number' }]);
  });

  it('keeps minutes within a day', () => {
    expect(accepted(Minutes, 1440)).toBe(1440);
    expect(problems(Minutes, 1441)).toEqual([{ path: '', message: 'must be at most 1440 (one day)' }]);
    expect(problems(Minutes, 12.5)).toEqual([{ path: '', message: 'must be a whole number' }]);
  });

  it('keeps money to whole pence, non-negative, within numeric(p, 2)', () => {
    const m12 = moneyGbp(12);
    const m14 = moneyGbp(14);
    for (const v of [0, 0.01, 19.99, 1542, 9_999_999_999.99]) expect(accepted(m12, v)).toBe(v);
    expect(accepted(m14, 999_999_999_999.99)).toBe(999_999_999_999.99);
    const PENCE = 'must have at most 2 decimal places (whole pence)';
    for (const v of [1.005, 0.1 + 0.2, 1e-7, 19.999]) expect(problems(m12, v)).toEqual([{ path: '', message: PENCE }]);
    expect(problems(m12, -0.01)).toEqual([{ path: '', message: 'must not be negative' }]);
    expect(problems(m12, 10_000_000_000)).toEqual([{ path: '', message: 'must be at most 9999999999.99' }]);
    expect(problems(m14, 1_000_000_000_000)).toEqual([{ path: '', message: 'must be at most 999999999999.99' }]);
  });

  it('hasAtMostTwoDecimals tells pence from fractions of a penny', () => {
    expect([0.07, 1.1, 123456.78, 5].map(hasAtMostTwoDecimals)).toEqual([true, true, true, true]);
    expect([0.001, 2.345, 1 / 3].map(hasAtMostTwoDecimals)).toEqual([false, false, false]);
  });
});

describe('identifiers', () => {
  it('MetricKey is a 2–63 character slug', () => {
    const SLUG = 'must be 2–63 characters of a–z, 0–9 and _, starting with a letter';
    expect(accepted(MetricKey, 'ab')).toBe('ab');
    expect(accepted(MetricKey, `a${'b'.repeat(62)}`)).toHaveLength(63);
    for (const bad of ['a', `a${'b'.repeat(63)}`, 'Ab', '1ab', '_ab', 'ab-c', 'ab c', '']) {
      expect(problems(MetricKey, bad)).toEqual([{ path: '', message: SLUG }]);
    }
  });

  it('Uuid accepts any canonical UUID and nothing else', () => {
    expect(accepted(Uuid, '00000000-0000-0000-0000-000000000001')).toBe('00000000-0000-0000-0000-000000000001');
    expect(accepted(Uuid, '0B7D9E4C-3F1A-4C8E-9D2B-7A6F5E4D3C2B')).toBe('0B7D9E4C-3F1A-4C8E-9D2B-7A6F5E4D3C2B');
    expect(problems(Uuid, 'not-a-uuid')).toEqual([{ path: '', message: 'must be a UUID' }]);
  });
});

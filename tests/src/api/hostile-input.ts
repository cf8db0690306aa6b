import fc from 'fast-check';

/**
 * The building blocks of hostile requests: values that have broken real JSON APIs.
 * Raw tokens (numbers JSON.stringify cannot write, duplicate or prototype keys) are spliced
 * into the body text after serialisation.
 */
export const hostileStrings: readonly string[] = [
  '', ' ', '\u0000', 'before\u0000after', '\uD800', 'lone \uDFFF surrogate', '\uFEFF',
  "'; DROP TABLE projects; --", "1' OR '1'='1", 'SELECT pg_sleep(10)', '$1', '%s%n', '${7*7}',
  '__proto__', 'constructor', '<script>alert(1)</script>', '../../etc/passwd', 'null', 'true',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✓ 👩🏽‍⚕️', 'x'.repeat(300), 'ʻOkina', '\u202Eevil', 'a\r\nInjected: header',
];

export const hostileDates: readonly string[] = [
  '0001-01-01', '1899-12-31', '2201-01-01', '99999-01-01', '2024-02-30', '2024-13-01', '2024-1-1',
  '1900-01-01', '2200-12-31', '2024-04-01T00:00:00Z', '+002024-04-01', '-002024-04-01',
];

/** Spliced in as raw JSON text: `1e999` parses to Infinity, `-0` to negative zero. */
export const rawNumbers: readonly string[] = ['1e999', '-1e999', '-0', '1e-999', '9007199254740993', '-1', '0.1e1', '1E2'];

export const RAW = (token: string) => `@@raw:${token}@@`;

export function serialise(body: unknown): string {
  // An emptied body (every field deleted away) is sent as an empty string.
  return (JSON.stringify(body) ?? '').replace(/"@@raw:(.*?)@@"/g, (_m, token: string) => token);
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom(...hostileStrings),
  fc.constantFrom(...hostileDates),
  fc.constantFrom(...rawNumbers).map(RAW),
  fc.constantFrom<Json>(null, true, false, 0, -1, 1.5, 2 ** 53, [], {}, [null], JSON.parse('{"__proto__":{"admin":true}}') as Json),
  fc.string({ maxLength: 40, unit: 'binary' }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
);

export type Mutation =
  | { kind: 'replace'; at: number; value: Json }
  | { kind: 'delete'; at: number }
  | { kind: 'add'; key: string; value: Json }
  | { kind: 'proto' }
  | { kind: 'duplicate-key'; at: number; value: Json }
  | { kind: 'whole'; value: Json }
  | { kind: 'text'; text: string }
  | { kind: 'none' };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: hostileValue }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('add' as const), key: fc.constantFrom('__proto__', 'constructor', 'extra', 'id', 'organisation_id', ''), value: hostileValue }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'proto' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate-key' as const), at: fc.nat(), value: hostileValue }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('whole' as const), value: hostileValue }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('text' as const), text: fc.constantFrom('{', '{"a":', '[1,]', 'nul', '\u0000', '', '{"a":1}{"b":2}', "{'single':1}", 'x'.repeat(1000)) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
);

/** Every place in a JSON value where a value sits, as a path of keys and indexes. */
export function leafPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((v, i) => leafPaths(v, [...prefix, i]))];
  if (value && typeof value === 'object') {
    return [prefix, ...Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...prefix, k]))];
  }
  return [prefix];
}

export function setAt(target: any, path: (string | number)[], value: unknown): any {
  if (path.length === 0) return value;
  const copy = Array.isArray(target) ? [...target] : { ...target };
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  copy[head] = setAt(copy[head], rest, value);
  return copy;
}

function deleteAt(target: any, path: (string | number)[]): any {
  if (path.length === 0) return undefined;
  if (path.length === 1) {
    if (Array.isArray(target)) return target.filter((_, i) => i !== path[0]);
    const { [path[0] as string]: _gone, ...rest } = target;
    return rest;
  }
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const copy = Array.isArray(target) ? [...target] : { ...target };
  copy[head] = deleteAt(copy[head], rest);
  return copy;
}

/** Applies a mutation to a valid sample body and returns the request text. */
export function mutate(sample: unknown, m: Mutation): string {
  const paths = leafPaths(sample).filter((p) => p.length > 0);
  const pick = (at: number) => paths[at % Math.max(paths.length, 1)] ?? [];
  switch (m.kind) {
    case 'none':
      return serialise(sample);
    case 'replace':
      return serialise(setAt(sample, pick(m.at), m.value));
    case 'delete':
      return serialise(deleteAt(sample, pick(m.at)));
    case 'add':
      return serialise(sample && typeof sample === 'object' && !Array.isArray(sample) ? { ...sample, [m.key]: m.value } : sample);
    case 'proto': {
      const text = serialise(sample);
      return text.startsWith('{') ? `{"__proto__":{"admin":true},${text.slice(1)}` : text;
    }
    case 'duplicate-key': {
      const text = serialise(sample);
      const key = pick(m.at).at(-1);
      return text.startsWith('{') && typeof key === 'string' ? `{${JSON.stringify(key)}:${serialise(m.value)},${text.slice(1)}` : text;
    }
    case 'whole':
      return serialise(m.value);
    case 'text':
      return m.text;
    default: {
      const unreachable: never = m;
      throw new Error(`unknown mutation ${JSON.stringify(unreachable)}`);
    }
  }
}

/** CSV bodies: a cell, a whole line, or the whole text replaced with something hostile. */
export function mutateCsv(text: string, m: Mutation): string {
  const lines = text.split('\n');
  switch (m.kind) {
    case 'none':
      return text;
    case 'text':
      return m.text;
    case 'whole':
      return serialise(m.value);
    case 'delete':
      return lines.filter((_, i) => i !== m.at % lines.length).join('\n');
    case 'replace':
    case 'duplicate-key':
    case 'add': {
      const value = m.kind === 'replace' || m.kind === 'duplicate-key' || m.kind === 'add' ? m.value : null;
      const raw = typeof value === 'string' ? value.replace(/^@@raw:(.*)@@$/, '$1') : serialise(value);
      const row = 1 + ((m.kind === 'add' ? 0 : m.at) % Math.max(lines.length - 1, 1));
      const cells = (lines[row] ?? '').split(',');
      cells[(m.kind === 'add' ? 0 : m.at) % cells.length] = raw;
      lines[row] = cells.join(',');
      return lines.join('\n');
    }
    case 'proto':
      return `__proto__,${text}`;
    default: {
      const unreachable: never = m;
      throw new Error(`unknown mutation ${JSON.stringify(unreachable)}`);
    }
  }
}

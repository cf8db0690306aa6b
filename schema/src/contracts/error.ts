import { z } from 'zod';

/** Every error code the API answers with, and its HTTP status. */
export const errorCodes = [
  'bad_request', 'unauthorized', 'forbidden', 'not_found', 'conflict', 'payload_too_large',
  'unsupported_media_type', 'validation_failed', 'rate_limited', 'internal_error',
] as const;
export type ErrorCode = (typeof errorCodes)[number];
export const errorStatuses: Readonly<Record<ErrorCode, number>> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  rate_limited: 429,
  internal_error: 500,
};

export const ValidationDetail = z.strictObject({
  path: z.string().describe('Where the problem is, e.g. "observations[2].numerator"; "" for the whole body.'),
  message: z.string(),
});
export type ValidationDetail = z.infer<typeof ValidationDetail>;

/** `{ "error": { "code", "message", "details"? } }`, the body of every 4xx and 5xx. */
export const ErrorBody = z.strictObject({
  error: z.strictObject({
    code: z.enum(errorCodes),
    message: z.string().describe('A sentence for the person reading the logs.'),
    details: z.array(ValidationDetail).optional().describe('With validation_failed: every problem found, with its path.'),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * A path as a JavaScript accessor: `observations[2].numerator`, `disaggregation["age band"]`.
 * Names that are not identifiers are quoted so every path reads back unambiguously.
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'symbol') out += `[${String(segment)}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

export const DEFAULT_MAX_DETAILS = 100;

/**
 * The `details` of a 422, from a failed parse: one entry per problem, in the order found.
 * An unknown field gets its own entry at its own path; a bad record key reports why.
 * Identical entries are merged, and the list stops at `max` entries plus one saying how many
 * were left out, so a 10,000-row batch cannot produce an unbounded response.
 */
export function validationDetails(
  error: z.core.$ZodError,
  { max = DEFAULT_MAX_DETAILS }: { max?: number } = {},
): ValidationDetail[] {
  const all: ValidationDetail[] = [];
  const seen = new Set<string>();
  const add = (path: readonly PropertyKey[], message: string): void => {
    const detail = { path: formatPath(path), message };
    const key = JSON.stringify([detail.path, message]);
    if (seen.has(key)) return;
    seen.add(key);
    all.push(detail);
  };
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) add([...issue.path, key], 'unknown field');
    } else if (issue.code === 'invalid_key') {
      for (const inner of issue.issues) add([...issue.path, ...inner.path], `key ${inner.message}`);
    } else {
      add(issue.path, issue.message);
    }
  }
  if (all.length <= max) return all;
  const left = all.length - max;
  return [
    ...all.slice(0, max),
    { path: '', message: `${left} more ${left === 1 ? 'problem' : 'problems'} not listed` },
  ];
}

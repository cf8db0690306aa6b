import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorBody, ErrorCode } from '@firstmile/schema';
import { DomainError, ValidationError } from '../domain/errors.ts';
import { HttpProblem } from './problem.ts';

const domainStatus: Record<string, { status: ContentfulStatusCode; code: ErrorCode }> = {
  bad_request: { status: 400, code: 'bad_request' },
  payload_too_large: { status: 413, code: 'payload_too_large' },
  not_found: { status: 404, code: 'not_found' },
  conflict: { status: 409, code: 'conflict' },
  validation_failed: { status: 422, code: 'validation_failed' },
  forbidden: { status: 403, code: 'forbidden' },
};

export function errorResponse(c: Context, status: ContentfulStatusCode, code: ErrorCode, message: string, details?: ErrorBody['error']['details']) {
  const body: ErrorBody = { error: details ? { code, message, details } : { code, message } };
  return c.json(body, status);
}

/** One place where every failure becomes the one error body; a 500 is always our bug. */
export function handleError(error: Error, c: Context) {
  if (error instanceof HttpProblem) {
    return errorResponse(c, error.status as ContentfulStatusCode, error.code, error.message, error.details);
  }
  if (error instanceof DomainError) {
    const mapped = domainStatus[error.code];
    if (mapped) {
      const details = error instanceof ValidationError ? error.problems : undefined;
      return errorResponse(c, mapped.status, mapped.code, error.message, details);
    }
  }
  if (error instanceof HTTPException) {
    // Hono's own refusals: malformed JSON bodies (400), oversized bodies (413).
    if (error.status === 400) return errorResponse(c, 400, 'bad_request', error.message || 'the request is malformed');
    if (error.status === 413) return errorResponse(c, 413, 'payload_too_large', 'the request body is too large');
  }
  console.error(`[${c.get('requestId') ?? '-'}]`, error);
  return errorResponse(c, 500, 'internal_error', 'internal error: it has been logged');
}

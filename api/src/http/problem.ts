import { errorStatuses, type ErrorCode } from '@firstmile/schema';

/** An HTTP-level refusal (auth, content type, size) with the error body's code. */
export class HttpProblem extends Error {
  readonly status: number;
  constructor(
    readonly code: Exclude<ErrorCode, 'internal_error'>,
    message: string,
    readonly details?: Array<{ path: string; message: string }>,
  ) {
    super(message);
    this.name = 'HttpProblem';
    this.status = errorStatuses[code];
  }
}

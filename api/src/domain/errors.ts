/**
 * What can go wrong in a domain function, in the domain's words. Nothing here knows about
 * HTTP; `http/errors.ts` maps each kind to a status once.
 */
export interface ProblemDetail {
  path: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Missing, or belonging to someone the caller may not see: the two must look the same. */
export class NotFoundError extends DomainError {
  constructor(entity: string, id: string) {
    super('not_found', `${entity} ${id} was not found`);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, details?: unknown) {
    super('conflict', message, details);
  }
}

export class ValidationError extends DomainError {
  constructor(readonly problems: ProblemDetail[], message = 'the request has invalid fields') {
    super('validation_failed', message, problems);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super('forbidden', message);
  }
}

/** Input that cannot be read at all (not the format it claims to be, or cut off). */
export class UnreadableInputError extends DomainError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('bad_request', message);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** A part of the input larger than what is held in memory at once. */
export class TooLargeError extends DomainError {
  constructor(message: string) {
    super('payload_too_large', message);
  }
}

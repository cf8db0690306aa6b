import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HttpProblem } from './problem.ts';

/** A route that takes larger bodies than the default, e.g. a CSV upload. */
export interface LargerBody {
  /** Tested against the request path. */
  path: RegExp;
  maxBytes: number;
}

const megabytes = (bytes: number): string => `${Number((bytes / 1024 / 1024).toFixed(1))} MB`;

function limit(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new HttpProblem('payload_too_large', `the body is larger than ${megabytes(maxBytes)}`);
    },
  });
}

/** Bounds every body at `maxBytes`, except on the listed routes, which have their own bound. */
export function bodyLimits(maxBytes: number, larger: readonly LargerBody[] = []): MiddlewareHandler {
  const standard = limit(maxBytes);
  const exceptions = larger.map((route) => ({ path: route.path, middleware: limit(route.maxBytes) }));
  return async function bodyLimits(c, next) {
    const exception = exceptions.find((route) => route.path.test(c.req.path));
    return (exception?.middleware ?? standard)(c, next);
  };
}

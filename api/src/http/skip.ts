import type { Env, MiddlewareHandler } from 'hono';

/** `middleware`, except on the listed paths (tested against the request path), which go straight on. */
export function unless<E extends Env>(paths: readonly RegExp[], middleware: MiddlewareHandler<E>): MiddlewareHandler<E> {
  return async function unless(c, next) {
    if (paths.some((path) => path.test(c.req.path))) return next();
    return middleware(c, next);
  };
}

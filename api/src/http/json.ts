import type { z } from 'zod';

/** `{ content: { 'application/json': { schema } } }`, the shape OpenAPI wants, in one word. */
export const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });

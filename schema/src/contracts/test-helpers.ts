// Shared by the contract tests only (not exported from index.ts).
import type { z } from 'zod';
import { validationDetails, type ValidationDetail } from './error.ts';

/** The 422 details a payload would get; throws if it is accepted. */
export function problems(schema: z.ZodType, input: unknown): ValidationDetail[] {
  const result = schema.safeParse(input);
  if (result.success) throw new Error(`expected a failure, got ${JSON.stringify(result.data)}`);
  return validationDetails(result.error, { max: 1000 });
}

/** The parsed value; throws with the details if it is refused. */
export function accepted<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw new Error(JSON.stringify(validationDetails(result.error)));
  return result.data;
}

/** A JSON request body as the API sees it (JSON.parse, with its __proto__ and 1e999 quirks). */
export function json(text: string): unknown {
  return JSON.parse(text);
}

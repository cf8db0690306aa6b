import { ConflictError } from './errors.ts';

/** PostgreSQL's codes for a statement that gave up waiting: statement_timeout, lock_timeout. */
const GAVE_UP_WAITING: ReadonlySet<string> = new Set(['57014', '55P03']);

/**
 * Runs a statement that may wait behind another request (a lock, an uncommitted key) and turns
 * giving up into a 409 the caller can retry, rather than a 500.
 */
export async function waitingBehind<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
    if (GAVE_UP_WAITING.has(code)) throw new ConflictError(`${what} is still in progress; retry shortly`);
    throw error;
  }
}

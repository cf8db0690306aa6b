import { describe, expect, it } from 'vitest';
import { ConflictError } from './errors.ts';
import { waitingBehind } from './waiting.ts';

const pgError = (code: string) => Object.assign(new Error('canceling statement'), { code });

describe('waitingBehind', () => {
  it('turns a statement or lock timeout into a 409 to retry, and lets anything else through', async () => {
    await expect(waitingBehind('the thing', () => Promise.reject(pgError('57014')))).rejects.toThrow(new ConflictError('the thing is still in progress; retry shortly'));
    await expect(waitingBehind('the thing', () => Promise.reject(pgError('55P03')))).rejects.toBeInstanceOf(ConflictError);
    await expect(waitingBehind('the thing', () => Promise.reject(pgError('23505')))).rejects.toThrow('canceling statement');
    expect(await waitingBehind('the thing', async () => 7)).toBe(7);
  });
});

import { describe, expect, it } from 'vitest';
import { randomFor, uuidFor } from './random.ts';

const draws = (seed: number, ...path: (string | number)[]) => {
  const r = randomFor(seed, ...path);
  return Array.from({ length: 8 }, () => r.int(0, 1_000_000));
};

describe('randomFor', () => {
  it('gives the same stream for the same seed and key, whatever was drawn before', () => {
    const first = draws(42, 'person', 7);
    draws(42, 'person', 6);
    expect(draws(42, 'person', 7)).toEqual(first);
  });

  it('gives different streams for neighbouring keys, seeds, and seeds beyond 32 bits', () => {
    const base = draws(42, 'person', 7);
    expect(draws(42, 'person', 8)).not.toEqual(base);
    expect(draws(43, 'person', 7)).not.toEqual(base);
    expect(draws(42, 'snapshot', 7)).not.toEqual(base);
    expect(draws(42 + 2 ** 32, 'person', 7)).not.toEqual(base);
  });

  it('refuses seeds and keys that are not whole numbers', () => {
    expect(() => randomFor(1.5)).toThrow(RangeError);
    expect(() => randomFor(1, Number.NaN)).toThrow(RangeError);
  });

  it('spreads draws evenly enough for a demo (each decile within 10% of its share)', () => {
    const r = randomFor(1, 'spread');
    const deciles = new Array<number>(10).fill(0);
    for (let i = 0; i < 50_000; i++) deciles[Math.floor(r.float() * 10)]! += 1;
    for (const n of deciles) expect(Math.abs(n - 5000)).toBeLessThan(500);
  });

  it('picks by weight', () => {
    const r = randomFor(3, 'weights');
    let heavy = 0;
    for (let i = 0; i < 10_000; i++) if (r.weighted([['heavy', 3], ['light', 1]] as const) === 'heavy') heavy++;
    expect(heavy / 10_000).toBeGreaterThan(0.72);
    expect(heavy / 10_000).toBeLessThan(0.78);
  });
});

describe('uuidFor', () => {
  it('is shaped like a version 4 UUID, stable per seed and key', () => {
    const id = uuidFor(42, 'organisation:platform');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidFor(42, 'organisation:platform')).toBe(id);
    expect(uuidFor(43, 'organisation:platform')).not.toBe(id);
    expect(uuidFor(42, 'organisation:larkspur')).not.toBe(id);
  });

  it('does not repeat across many keys', () => {
    const ids = new Set(Array.from({ length: 20_000 }, (_, i) => uuidFor(7, `thing:${i}`)));
    expect(ids.size).toBe(20_000);
  });
});

import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/** MurmurHash3's finaliser: every input bit flips about half the output bits. */
function fmix32(input: number): number {
  let h = input | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a, so a readable key such as `person` names its own random stream. */
function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function wordsOf(seed: number, path: readonly (string | number)[]): number[] {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a whole number, not ${seed}`);
  // Both halves of the seed count, so seeds above 2^32 give different worlds too.
  const words = [seed >>> 0, Math.floor(seed / 0x1_0000_0000) >>> 0];
  for (const part of path) {
    if (typeof part === 'string') words.push(hashText(part), part.length);
    else if (Number.isSafeInteger(part)) words.push(part >>> 0, Math.floor(part / 0x1_0000_0000) >>> 0);
    else throw new RangeError(`random stream keys must be whole numbers or text, not ${part}`);
  }
  return words;
}

/**
 * The xoroshiro128+ state for one named stream. Each of the four state words hashes the
 * whole path on its own lane, so neighbouring keys (person 41, person 42) start far apart
 * rather than in correlated states, as plain `xoroshiro128plus(seed + i)` would.
 */
function stateFor(seed: number, path: readonly (string | number)[]): number[] {
  const words = wordsOf(seed, path);
  const state = [0, 1, 2, 3].map((lane) => {
    let h = fmix32(0x9e3779b9 ^ Math.imul(lane + 1, 0x6d2b79f5));
    for (const word of words) h = fmix32((h ^ fmix32(word)) + 0x7f4a7c15);
    return h | 0;
  });
  // An all-zero state would yield zeros for ever.
  if (!state.some((w) => w !== 0)) state[0] = 1;
  return state;
}

const byteHex = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** A seeded source of randomness with the few draws the generator needs. */
export class Random {
  readonly #rng: RandomGenerator;

  constructor(rng: RandomGenerator) {
    this.#rng = rng;
  }

  /** A whole number from `min` to `max`, both included. */
  int(min: number, max: number): number {
    if (max < min) throw new RangeError(`empty range ${min}..${max}`);
    return uniformInt(this.#rng, min, max);
  }

  /** A number in [0, 1). */
  float(): number {
    return uniformFloat64(this.#rng);
  }

  between(min: number, max: number): number {
    return min + (max - min) * this.float();
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('cannot pick from an empty list');
    return items[this.int(0, items.length - 1)] as T;
  }

  /** One of the entries, each as likely as its weight. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    if (!(total > 0)) throw new RangeError('weights must add up to more than 0');
    let point = this.float() * total;
    for (const [item, weight] of entries) {
      point -= weight;
      if (point < 0) return item;
    }
    // Rounding can leave the point a hair above the last boundary.
    return (entries[entries.length - 1] as readonly [T, number])[0];
  }

  /** `count` hexadecimal digits. */
  hex(count: number): string {
    let out = '';
    while (out.length < count) {
      const w = this.#rng.next();
      out += `${byteHex[(w >>> 24) & 0xff]}${byteHex[(w >>> 16) & 0xff]}${byteHex[(w >>> 8) & 0xff]}${byteHex[w & 0xff]}`;
    }
    return out.length === count ? out : out.slice(0, count);
  }

  /** A UUID shaped like version 4 (random), its 122 random bits drawn from this stream. */
  uuid(): string {
    const h = this.hex(32);
    const variant = ((parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

/**
 * An independent stream for one purpose: `randomFor(seed, 'person', 42)` is the same for
 * the same seed whatever else was drawn before, so people can be made one at a time, in
 * any order, and adding a kind of draw elsewhere changes nothing here.
 */
export function randomFor(seed: number, ...path: (string | number)[]): Random {
  return new Random(xoroshiro128plusFromState(stateFor(seed, path)));
}

/** A stable id for a named thing in a seeded world (`organisation:platform`). */
export function uuidFor(seed: number, key: string): string {
  return randomFor(seed, 'uuid', key).uuid();
}

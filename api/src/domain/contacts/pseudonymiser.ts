import { createHmac, type KeyObject } from 'node:crypto';

/**
 * Turns raw person identifiers into the pseudonyms stored in `contacts.person_ref`: a keyed
 * HMAC-SHA256 with a per-deployment secret that lives outside the database, so a copy of the
 * database alone cannot be reversed by hashing candidate identifiers. Made once at start-up
 * and passed in; the key never leaves this closure.
 */
export interface Pseudonymiser {
  /** Why raw identifiers cannot be taken (no key configured), or null when they can. */
  readonly unavailable: string | null;
  /**
   * The pseudonym maker for one organisation's people. By default each organisation's are
   * its own, so the same case number at two organisations does not link; a deployment set
   * to link people across organisations gives one pseudonym per identifier everywhere.
   * Throws when `unavailable`.
   */
  forOrganisation(organisationId: string): (personId: string) => string;
}

/** Marks a stored pseudonym as made here (scheme 1: HMAC-SHA256, base64url). */
export const PSEUDONYM_PREFIX = 'h1:';

export interface PseudonymiserOptions {
  /** At least 32 bytes. Null: raw identifiers are refused with `unavailableReason`. */
  key: KeyObject | null;
  linkAcrossOrganisations?: boolean;
  /** What to tell a caller who sends a raw identifier when there is no key. */
  unavailableReason?: string;
}

const NO_KEY = 'this deployment has no pseudonym key, so raw identifiers are refused; send your own pseudonym as person_ref';

/**
 * The HMAC's input is `firstmile/person/v1 NUL <scope> NUL <identifier>`, where the scope is the
 * organisation id, or `*` when people are linked across organisations (an id is a UUID, never
 * `*`). Identifiers cannot contain NUL (the contracts refuse it), so no two inputs collide.
 */
export function createPseudonymiser({ key, linkAcrossOrganisations = false, unavailableReason = NO_KEY }: PseudonymiserOptions): Pseudonymiser {
  if (key === null) {
    return Object.freeze({
      unavailable: unavailableReason,
      forOrganisation(): never {
        throw new Error(unavailableReason);
      },
    });
  }
  if (key.type !== 'secret' || (key.symmetricKeySize ?? 0) < 32) {
    throw new RangeError('a pseudonym key must be a secret key of at least 32 bytes');
  }
  // A Buffer key is measurably faster than a KeyObject per HMAC; it stays in this closure.
  const secret = key.export();
  return Object.freeze({
    unavailable: null,
    forOrganisation(organisationId: string) {
      const scope = linkAcrossOrganisations ? '*' : organisationId.toLowerCase();
      const prefix = `firstmile/person/v1\u0000${scope}\u0000`;
      return function pseudonym(personId: string): string {
        return PSEUDONYM_PREFIX + createHmac('sha256', secret).update(prefix + personId, 'utf8').digest('base64url');
      };
    },
  });
}

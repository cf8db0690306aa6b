import { createSecretKey } from 'node:crypto';
import { createPseudonymiser, type Pseudonymiser } from '../domain/contacts/pseudonymiser.ts';

/** A fixed, public key for tests only (64 hex digits, as FIRSTMILE_PSEUDONYM_KEY takes it). */
export const TEST_PSEUDONYM_KEY = '7465737420706f6e6c7920706564756f6e796d206b6579203a206e6f74207365';

export function testPseudonymiser(options: { linkAcrossOrganisations?: boolean } = {}): Pseudonymiser {
  return createPseudonymiser({ key: createSecretKey(Buffer.from(TEST_PSEUDONYM_KEY, 'hex')), ...options });
}

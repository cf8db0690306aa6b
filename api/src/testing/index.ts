export { createTenants, type Tenants } from './tenants.ts';
export { call, type CallOptions, type CallResult } from './call.ts';
export { actorForKey } from './actor.ts';
export { testPseudonymiser, TEST_PSEUDONYM_KEY } from './pseudonymiser.ts';

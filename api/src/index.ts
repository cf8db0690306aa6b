export { createApp, type AppDependencies, type FirstmileApp } from './app.ts';
export { serve, type RunningServer } from './serve.ts';
export { HealthBody } from './routes/health/index.ts';
export { routePolicy, allowedRoles } from './auth/policy.ts';
export { apiRoute } from './http/route.ts';
export type { Actor, AppEnv } from './http/env.ts';
export {
  importContacts, readContactRows, createPseudonymiser, ContactImportRefused, PSEUDONYM_PREFIX, contactUploadFormats,
  type ContactImportActor, type ContactImportProgress, type ImportContactsOptions, type Pseudonymiser, type RawContactRow,
  type ContactUploadFormat, type ContactFileFormat,
} from './domain/contacts/index.ts';

import { OpenAPIHono } from '@hono/zod-openapi';
import { requestId } from 'hono/request-id';
import { validationDetails, type DatabaseHandle } from '@firstmile/schema';
import { authenticate } from './auth/authenticate.ts';
import type { AppEnv } from './http/env.ts';
import { errorResponse, handleError } from './http/errors.ts';
import { bodyLimits } from './http/body-limit.ts';
import { requestTransaction } from './http/request-transaction.ts';
import { unless } from './http/skip.ts';
import { createPseudonymiser, type Pseudonymiser } from './domain/contacts/index.ts';
import {
  contactBatchBodyLimit, contactRoutes, contactRoutesWithOwnTransaction, contactRoutesWithStreamedBody,
} from './routes/contacts/index.ts';
import { analyticsRoutes } from './routes/analytics/index.ts';
import { docsRoutes } from './routes/docs/index.ts';
import { healthRoutes } from './routes/health/index.ts';
import { keyRoutes } from './routes/keys/index.ts';
import { organisationRoutes } from './routes/organisations/index.ts';
import { fundingRoutes } from './routes/funding/index.ts';
import { metricRoutes } from './routes/metrics/index.ts';
import { placeRoutes } from './routes/places/index.ts';
import { projectRoutes } from './routes/projects/index.ts';
import { serviceRoutes } from './routes/services/index.ts';
import { snapshotImportBodyLimit, snapshotRoutes } from './routes/snapshots/index.ts';
import { storyRoutes } from './routes/stories/index.ts';
import { firstmileVersion } from './version.ts';

export interface AppDependencies {
  handle: DatabaseHandle;
  version?: string;
  /**
   * Confine each request to its caller with row-level security (the default). Tests turn it
   * off to prove the application's own checks isolate tenants without it.
   */
  rowLevelSecurity?: boolean;
  /**
   * Makes the pseudonyms raw person identifiers are stored as; created once at start-up from
   * the deployment's key. Without one, raw identifiers are refused (own pseudonyms still pass).
   */
  pseudonymiser?: Pseudonymiser;
}

/** Largest JSON body accepted: a snapshot with 50 stories of 10,000 characters fits easily. */
export const maxJsonBytes = 5 * 1024 * 1024;

/** Builds the whole HTTP application; tests drive it with `app.request()`. */
export function createApp({ handle, version = firstmileVersion, rowLevelSecurity = true, pseudonymiser = createPseudonymiser({ key: null }) }: AppDependencies) {
  const app = new OpenAPIHono<AppEnv>({
    // Every validation failure is a 422 naming each field, never a 500.
    defaultHook: (result, c) => {
      if (!result.success) {
        return errorResponse(c, 422, 'validation_failed', `the ${result.target === 'json' ? 'body' : result.target} has invalid fields`, validationDetails(result.error));
      }
      return undefined;
    },
  });
  app.use(requestId());
  app.route('/', healthRoutes(handle, version));
  app.route('/docs', docsRoutes());

  // The contacts routes write through a client of their own in their own transaction (COPY
  // needs a raw pg client), and the import streams a body of any size: the request transaction
  // would only hold a second connection, and the body limit would buffer the upload whole.
  app.use(
    '/v1/*',
    unless(contactRoutesWithStreamedBody, bodyLimits(maxJsonBytes, [snapshotImportBodyLimit, contactBatchBodyLimit])),
    authenticate(handle),
    unless(contactRoutesWithOwnTransaction, requestTransaction(handle, { rowLevelSecurity })),
  );
  app.route('/', organisationRoutes);
  app.route('/', keyRoutes);
  app.route('/', projectRoutes);
  app.route('/', serviceRoutes);
  app.route('/', fundingRoutes);
  app.route('/', placeRoutes);
  app.route('/', metricRoutes);
  app.route('/', snapshotRoutes);
  app.route('/', storyRoutes);
  app.route('/', analyticsRoutes);
  app.route('/', contactRoutes({ handle, pseudonymiser, rowLevelSecurity }));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key: `Authorization: Bearer fm_…`. Create one with `firstmile keys create`.',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Firstmile API',
      version,
      description: 'Outcome snapshots and their stories, honest statistics, and the whole-system picture.',
    },
  });

  app.notFound((c) => errorResponse(c, 404, 'not_found', `no route for ${c.req.method} ${c.req.path}`));
  app.onError(handleError);
  return app;
}

export type FirstmileApp = ReturnType<typeof createApp>;

import { OpenAPIHono } from '@hono/zod-openapi';
import { requestId } from 'hono/request-id';
import { validationDetails, type DatabaseHandle } from '@firstmile/schema';
import { authenticate } from './auth/authenticate.ts';
import type { AppEnv } from './http/env.ts';
import { errorResponse, handleError } from './http/errors.ts';
import { bodyLimits } from './http/body-limit.ts';
import { requestTransaction } from './http/request-transaction.ts';
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
}

/** Largest JSON body accepted: a snapshot with 50 stories of 10,000 characters fits easily. */
export const maxJsonBytes = 5 * 1024 * 1024;

/** Builds the whole HTTP application; tests drive it with `app.request()`. */
export function createApp({ handle, version = firstmileVersion, rowLevelSecurity = true }: AppDependencies) {
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

  app.use(
    '/v1/*',
    bodyLimits(maxJsonBytes, [snapshotImportBodyLimit]),
    authenticate(handle),
    requestTransaction(handle, { rowLevelSecurity }),
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

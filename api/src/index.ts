export { createApp, type AppDependencies, type FirstmileApp } from './app.ts';
export { serve, type RunningServer } from './serve.ts';
export { HealthBody } from './routes/health/index.ts';
export { routePolicy, allowedRoles } from './auth/policy.ts';
export { apiRoute } from './http/route.ts';
export type { Actor, AppEnv } from './http/env.ts';

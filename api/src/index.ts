export { createApp, type AppDependencies, type FirstmileApp } from './app.ts';
export { serve, type RunningServer } from './serve.ts';
export type { HealthBody } from './routes/health/index.ts';

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{schema,etl,api,dashboard,reports,tests}/{src,migrations}/**/*.test.ts'],
    globalSetup: ['./schema/src/testing/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each suite makes its own databases; the two clusters are shared and sized for it.
    pool: 'forks',
  },
});

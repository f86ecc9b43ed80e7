import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The browser tests open /world, which serves the built web bundle: build it first if it is stale.
    globalSetup: ['test/e2e/web-bundle.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.CI
      ? ['default', ['json', { outputFile: process.env.CI_REPORT ?? '.ci/report.json' }]]
      : ['default'],
  },
});

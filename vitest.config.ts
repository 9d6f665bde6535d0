import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // The sandbox's NetSuite runs the compiled SuiteApp RESTlet: compile it once before the workers start.
    globalSetup: ['./test/helpers/build-suiteapp.ts'],
    // The second one prints, after the summary, which tests a missing prerequisite (Chromium) kept from running.
    reporters: ['default', './test/helpers/prerequisites-reporter.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two cores: more workers only add contention.
    maxWorkers: 2,
  },
});

import { defineConfig } from 'vitest/config';

/** The long fault tests: real child processes killed with SIGKILL, and two replicas on one PostgreSQL. */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.fault.ts'],
    environment: 'node',
    // The sandbox's NetSuite runs the compiled SuiteApp RESTlet: compile it once before the workers start.
    globalSetup: ['./test/helpers/build-suiteapp.ts'],
    testTimeout: 240_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});

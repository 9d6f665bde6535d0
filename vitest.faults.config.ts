import { defineConfig } from 'vitest/config';

/** The long fault tests: real child processes killed with SIGKILL, and two replicas on one PostgreSQL. */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.fault.ts'],
    environment: 'node',
    testTimeout: 240_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});

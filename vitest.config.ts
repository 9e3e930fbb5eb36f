import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['machines'],
    reporters: ['default', './.ci/plain-summary-reporter.ts'],
  },
});

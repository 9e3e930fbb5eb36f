import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['machines', 'server', 'mcp-tools', 'web'],
    reporters: ['default', './.ci/plain-summary-reporter.ts'],
  },
});

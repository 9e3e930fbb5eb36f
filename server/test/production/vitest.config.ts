import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm run test:production`: the production start after `npm ci --omit=dev`, apart from
// `npm test` because the install compiles better-sqlite3 (about two minutes). `.ci/run` runs it
// once, after `npm test` has built the tree.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['*.ci-test.ts'],
    testTimeout: 60_000,
    hookTimeout: 15 * 60_000,
    reporters: [
      'default',
      fileURLToPath(new URL('../../../.ci/plain-summary-reporter.ts', import.meta.url)),
    ],
  },
});

import { defineProject } from 'vitest/config';

// Unit tests of the page's pure helpers; they need no DOM.
export default defineProject({
  test: {
    name: 'web',
    environment: 'node',
    include: ['lib/**/*.test.ts', 'hooks/**/*.test.ts', 'components/**/*.test.ts'],
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'examples/*/src/**/*.test.ts', 'scripts/**/*.test.ts'],
    // Property-based and end-to-end tests do real crypto; give slow CI machines room.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});

import { defineConfig } from 'vitest/config';

// "source": see tsconfig.json (only matters inside the lmrec monorepo).
const conditions = ['source', 'node', 'import', 'module', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['node'] } },
  test: {
    name: 'plugin-recommender',
    environment: 'node',
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    // tfjs is loaded by Node itself, as lmrec's own tests do.
    server: { deps: { external: [/@tensorflow\//] } },
  },
});

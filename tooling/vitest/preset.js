// Shared vitest settings for every package. Workspace packages resolve to
// their TypeScript sources through the "source" export condition, so tests
// never need a build first.
const conditions = ['source', 'node', 'import', 'module', 'development|production'];

export const preset = {
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['node'] } },
  test: {
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    include: ['test/**/*.test.ts'],
    // tfjs is loaded by Node itself, never transformed by vite: its bundles
    // must see their own dependencies (e.g. long@4), not a hoisted copy.
    server: { deps: { external: [/@tensorflow\//] } },
  },
};

export function definePackage(name, extra = {}) {
  const extraTest = extra.test ?? {};
  const deps = { ...preset.test.server.deps, ...(extraTest.server?.deps ?? {}) };
  return {
    ...preset,
    ...extra,
    test: { ...preset.test, name, ...extraTest, server: { ...(extraTest.server ?? {}), deps } },
  };
}

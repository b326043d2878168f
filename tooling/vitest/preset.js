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
  },
};

export function definePackage(name, extra = {}) {
  return {
    ...preset,
    ...extra,
    test: { ...preset.test, name, ...(extra.test ?? {}) },
  };
}

import { defineConfig } from 'vitest/config';

// One run over every package and example; each one's own vitest.config.ts is a project.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'examples/*', 'tooling/layers'],
    reporters: ['default', './tooling/vitest/summary-reporter.js'],
  },
});

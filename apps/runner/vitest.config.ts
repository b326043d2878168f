import { defineConfig } from 'vitest/config';
import { definePackage, preset } from '@lmrec/vitest-preset';

// Plugin packages that tests write into node_modules go through vite like
// workspace sources, so their `import '@lmrec/core'` reaches the TypeScript
// sources (no build needed).
// Vitest hands ssr.resolve.conditions to the test processes as Node
// --conditions; with "import" among them, require() inside CommonJS packages
// (pg -> pg-pool, reached through @lmrec/vectors) picks their ESM entry and
// breaks. Vite adds import/require by itself, so leave them out here.
const conditions = preset.ssr.resolve.conditions.filter((c) => c !== 'import' && c !== 'module');

export default defineConfig(definePackage('runner', { ssr: { resolve: { conditions, externalConditions: ['node'] } }, test: { server: { deps: { inline: [/lmrec-plugin-/] } } } }));

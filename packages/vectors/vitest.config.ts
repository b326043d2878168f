import { defineConfig } from 'vitest/config';
import { definePackage, preset } from '@lmrec/vitest-preset';

// Vitest hands ssr.resolve.conditions to the test processes as Node
// --conditions; with "import" among them, require() inside CommonJS
// packages (pg -> pg-pool) picks their ESM entry and breaks. Vite adds
// import/require by itself, so leave them out here.
const conditions = preset.ssr.resolve.conditions.filter((c) => c !== 'import' && c !== 'module');

export default defineConfig(definePackage('vectors', { ssr: { resolve: { conditions, externalConditions: ['node'] } } }));

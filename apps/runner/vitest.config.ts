import { defineConfig } from 'vitest/config';
import { definePackage } from '@lmrec/vitest-preset';

// Plugin packages that tests write into node_modules go through vite like
// workspace sources, so their `import '@lmrec/core'` reaches the TypeScript
// sources (no build needed).
export default defineConfig(definePackage('runner', { test: { server: { deps: { inline: [/lmrec-plugin-/] } } } }));

import { defineConfig } from 'tsup';

// ESM + CJS + type declarations for Node 20; @lmrec/core and zod stay external (they are dependencies).
export default defineConfig({ entry: ['src/index.ts'], format: ['esm', 'cjs'], dts: true, sourcemap: true, clean: true, target: 'node20' });

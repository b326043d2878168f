import { defineConfig } from 'vitest/config';
import { definePackage } from '@lmrec/vitest-preset';

// tfjs ships ESM in .js files without "type": "module", so vitest would
// inline (transform) it and resolve its bare imports itself, which can pick
// a hoisted `long@5` instead of tfjs-core's own `long@4`. Loading tfjs
// through Node (its CommonJS entry) keeps Node's resolution.
export default defineConfig(definePackage('core', { test: { server: { deps: { external: [/@tensorflow\//] } } } }));

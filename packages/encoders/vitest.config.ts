import { defineConfig } from 'vitest/config';
import { definePackage } from '@lmrec/vitest-preset';

// The preset sets `resolve.conditions: ['source']`, but vitest's node
// environment resolves through the SSR conditions, so `@lmrec/core` failed to
// resolve ("Failed to resolve entry"). Set both here.
const conditions = ['source', 'module', 'node', 'import', 'default'];
export default defineConfig(definePackage('encoders', { resolve: { conditions }, ssr: { resolve: { conditions, externalConditions: conditions } } }));

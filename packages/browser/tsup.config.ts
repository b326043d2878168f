import { defineConfig } from 'tsup';
import { library } from '@lmrec/tsup-config';

// Built for browsers (and Node, where it also runs): no Node shims.
export default defineConfig(library({ target: 'es2022', shims: false, platform: 'neutral' }));

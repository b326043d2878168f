import { defineConfig } from 'tsup';
import { library } from '@lmrec/tsup-config';

// ESM only: the suites import vitest, which cannot be required from CommonJS.
export default defineConfig(library({ format: ['esm'] }));

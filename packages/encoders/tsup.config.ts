import { defineConfig } from 'tsup';
import { library } from '@lmrec/tsup-config';

export default defineConfig(library({ entry: ['src/index.ts', 'src/testing/index.ts', 'src/browser.ts'] }));

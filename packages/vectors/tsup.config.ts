import { defineConfig } from 'tsup';
import { library } from '@lmrec/tsup-config';

export default defineConfig(library());

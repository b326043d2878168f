import { defineConfig } from 'vitest/config';
import { definePackage } from '@lmrec/vitest-preset';

export default defineConfig(definePackage('web'));

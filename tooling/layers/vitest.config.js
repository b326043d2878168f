import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { name: 'layers', environment: 'node', include: ['test/**/*.test.js'], pool: 'forks', testTimeout: 60_000 } });

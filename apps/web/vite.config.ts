import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

const NODE = new Set(builtinModules);
const manifests = new Map<string, { name?: string; browser?: unknown } | undefined>();

/** The package.json nearest above a file (cached per folder). */
function packageOf(file: string): { name?: string; browser?: unknown } | undefined {
  let dir = dirname(file);
  const seen: string[] = [];
  while (!manifests.has(dir)) {
    seen.push(dir);
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      manifests.set(dir, JSON.parse(readFileSync(candidate, 'utf8')));
      break;
    }
    const up = dirname(dir);
    if (up === dir) {
      manifests.set(dir, undefined);
      break;
    }
    dir = up;
  }
  const found = manifests.get(dir);
  for (const d of seen) manifests.set(d, found);
  return found;
}

/**
 * Fails the build on any import of a Node built-in reached from the page
 * (Vite would only warn and stub it): every `node:` import, and any bare
 * built-in ("fs") unless it comes from a third-party package whose own
 * "browser" field maps it to false (tfjs-backend-wasm's emscripten glue
 * requires fs/path only on its Node branch and declares so). lmrec's own
 * code gets no such pass.
 */
export function noNodeBuiltins(): Plugin {
  return {
    name: 'lmrec:no-node-builtins',
    enforce: 'pre',
    resolveId(source, importer) {
      const bare = source.startsWith('node:') ? undefined : source.split('/')[0];
      if (!source.startsWith('node:') && !NODE.has(bare!)) return null;
      const owner = importer && importer.includes('/node_modules/') ? packageOf(importer) : undefined;
      const browser = owner?.browser;
      if (bare && typeof browser === 'object' && browser !== null && (browser as Record<string, unknown>)[bare] === false) return null;
      this.error(`"${source}" is a Node built-in, imported by ${importer ?? 'the entry'}; the browser path must not import Node built-ins`);
    },
  };
}

export default defineConfig({
  base: './',
  plugins: [noNodeBuiltins()],
  // Resolve workspace packages to their TypeScript sources (no build needed first).
  resolve: { conditions: ['source', 'browser', 'module', 'import', 'default'] },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 4096 },
  server: { host: '127.0.0.1' },
});

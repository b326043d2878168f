import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';

export const APP = join(import.meta.dirname, '..');
/** Debian's chromium (what .ci/run installs); no browser is downloaded. */
export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-dev-shm-usage', '--enable-unsafe-swiftshader', '--use-angle=swiftshader'];

/** The page built by Vite with the app's own config (so the no-Node-built-ins check runs). */
export async function buildPage(outDir: string): Promise<void> {
  await build({ root: APP, configFile: join(APP, 'vite.config.ts'), logLevel: 'error', build: { outDir, emptyOutDir: true } });
}

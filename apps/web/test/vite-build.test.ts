import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from 'vite';
import { noNodeBuiltins } from '../vite.config.js';
import { APP, buildPage } from './page-helpers.js';
import { tempDir } from './node-helpers.js';

describe('the browser path builds with Vite and imports no Node built-ins', () => {
  it('builds the page (@lmrec/browser, tfjs, the wasm files) under the no-node-builtins check', async () => {
    const out = tempDir('lmrec-web-build-');
    await expect(buildPage(out)).resolves.toBeUndefined();
  });

  it('the check does fail a build that imports node:fs or a bare built-in', async () => {
    const dir = tempDir('lmrec-web-node-');
    for (const [name, line] of [['a.ts', "import { readFileSync } from 'node:fs'; console.log(readFileSync);"], ['b.ts', "import * as path from 'path'; console.log(path);"]]) {
      mkdirSync(join(dir, 'src'), { recursive: true });
      writeFileSync(join(dir, 'src', name), line);
      const run = build({ root: APP, configFile: false, logLevel: 'silent', plugins: [noNodeBuiltins()], build: { outDir: join(dir, 'dist'), lib: { entry: join(dir, 'src', name), formats: ['es'], fileName: 'x' } } });
      await expect(run).rejects.toThrow(/is a Node built-in/);
    }
  });
});

import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CapturingProgress } from '@lmrec/core';
import { loadConfig } from '../src/config/load.js';
import { runConfig } from '../src/run/run.js';
import { runMain } from './cli.js';
import { tempDir } from './fixtures.js';

// Inside this package's folder so the plugin resolves @lmrec/core from the workspace.
const root = mkdtempSync(join(import.meta.dirname, '.tmp-saved-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const sentinel = join(root, 'plugin-code-ran');

function writeSentinelPlugin(): void {
  const pkg = join(root, 'node_modules', 'lmrec-plugin-sentinel');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'lmrec-plugin-sentinel', version: '1.0.0', type: 'module', exports: './index.js' }));
  // Its ContainerModule writes a file whenever it is loaded: proof that the plugin's code ran.
  writeFileSync(
    join(pkg, 'index.js'),
    `import { writeFileSync } from 'node:fs';
import { ContainerModule } from 'inversify';
export const sentinelModule = new ContainerModule(() => { writeFileSync(${JSON.stringify(sentinel)}, 'ran'); });
`,
  );
}

async function run(dir: string, yaml: string): Promise<string> {
  const file = join(dir, 'exp.yaml');
  writeFileSync(file, yaml);
  const out = join(dir, 'out');
  await runConfig(await loadConfig(file), { output: out, progress: new CapturingProgress(), print: () => {} });
  return out;
}

describe('a saved run folder is data, never code', () => {
  writeSentinelPlugin();

  it('eval and recommend do not import the plugins it names unless --allow-plugins', async () => {
    const out = await run(root, `name: s\nexperiment: cf\nplugins: [lmrec-plugin-sentinel]\ndataset: { loader: redial-sample, filter: { user: 3 }, split: { kind: ratio } }\nmodels: [{ name: popularity, label: Popularity }]\neval: { ks: [10] }\n`);
    rmSync(sentinel, { force: true });
    for (const args of [['eval', out], ['recommend', out, '--user', '1']]) {
      const { code, stderr } = await runMain([...args, '--quiet']);
      expect(code).toBe(1);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toContain('was made with plugin packages (lmrec-plugin-sentinel); reading it would import and run their code');
      expect(stderr).toContain('--allow-plugins');
      expect(existsSync(sentinel)).toBe(false);
    }
    const allowed = await runMain(['eval', out, '--allow-plugins', '--quiet']);
    expect(allowed.code).toBe(0);
    expect(existsSync(sentinel)).toBe(true);
  });

  it('paths are stored absolute, so a copied run folder works from anywhere, titles included', async () => {
    const dir = tempDir('lmrec-paths-');
    const lines = ['user,item'];
    for (let u = 0; u < 30; u++) for (let j = 0; j < 6; j++) lines.push(`u${u},i${(u * 7 + j * 3) % 40}`);
    writeFileSync(join(dir, 'interactions.csv'), `${lines.join('\n')}\n`);
    writeFileSync(join(dir, 'items.csv'), `id,title\n${Array.from({ length: 40 }, (_, j) => `i${j},Movie number ${j}`).join('\n')}\n`);
    const out = await run(
      dir,
      `name: p\nexperiment: cf\ndataset:\n  loader: table\n  options: { file: ./interactions.csv, columns: { user: user, item: item }, items: { file: items.csv, columns: { id: id, title: title } } }\n  split: { kind: ratio }\nmodels: [{ name: popularity, label: Popularity }]\neval: { ks: [5] }\n`,
    );
    const saved = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(saved.dataset.options.file).toBe(resolve(dir, 'interactions.csv'));
    expect(saved.dataset.options.items.file).toBe(resolve(dir, 'items.csv'));
    const moved = join(tempDir('lmrec-moved-'), 'elsewhere');
    cpSync(out, moved, { recursive: true });
    const { code, stdout } = await runMain(['recommend', moved, '--user', '0', '--k', '3', '--json', '--quiet']);
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as { item: number; title: string }[];
    expect(rows).toHaveLength(3);
    for (const r of rows) expect(r.title).toMatch(/^Movie number \d+$/);
    expect((await runMain(['eval', moved, '--quiet'])).code).toBe(0);
  });
});

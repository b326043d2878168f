import { describe, expect, it } from 'vitest';
import { readFileSync, rmSync, existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { bundledRedialDir, loadBundledRedial, toCrsExamples } from '../src/index.js';

const pkg = resolve(import.meta.dirname, '..');

/** A second, simple reading of the raw files: turns = runs of one sender. */
function naiveExampleCount(file: string): number {
  const text = gunzipSync(readFileSync(file)).toString('utf8');
  let count = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const rec = JSON.parse(line);
    let sender: number | undefined;
    let ids = new Set<string>();
    const flush = () => {
      if (sender === rec.respondentWorkerId) count += ids.size;
    };
    for (const m of rec.messages) {
      if (m.senderWorkerId !== sender) {
        flush();
        sender = m.senderWorkerId;
        ids = new Set();
      }
      for (const match of String(m.text).matchAll(/@(\d+)/g)) ids.add(match[1]);
    }
    flush();
  }
  return count;
}

describe('bundled ReDIAL sample', () => {
  it('loads 300/50/150 conversations over the movies they mention', async () => {
    const ds = await loadBundledRedial();
    expect(ds.name).toBe('redial-sample');
    expect([ds.split.train.length, ds.split.valid.length, ds.split.test.length]).toEqual([300, 50, 150]);
    const movieRows = readFileSync(join(bundledRedialDir(), 'movies.csv'), 'utf8').trim().split('\n').length - 1;
    expect(ds.items.ids.length).toBe(movieRows);
    expect(ds.items.titles.every((t) => t.length > 0 && !t.includes('  '))).toBe(true);
    for (const part of ['train', 'valid', 'test'] as const) {
      const examples = toCrsExamples(ds, ds.split[part]);
      expect(examples.length).toBe(naiveExampleCount(join(bundledRedialDir(), `${part}.jsonl.gz`)));
      for (const e of examples) {
        expect(e.context.length).toBe(e.turnIndex);
        expect(e.target).toBeGreaterThanOrEqual(0);
        expect(e.target).toBeLessThan(ds.items.ids.length);
      }
    }
    expect(ds.conversations.some((c) => c.turns.some((t) => /@\d/.test(t.text)))).toBe(false);
  });

  it('finds the data from a built ESM and CJS dist', async () => {
    const out = join(pkg, '.dist-test');
    rmSync(out, { recursive: true, force: true });
    const { build } = await import('tsup');
    await build({
      entry: { index: join(pkg, 'src/index.ts') },
      format: ['esm', 'cjs'],
      outDir: out,
      dts: false,
      silent: true,
      config: false,
      target: 'node20',
      // Bundle core from source (its dist may not be built); tree-shaking drops tfjs.
      noExternal: [/^@lmrec\//],
      esbuildOptions(options) {
        options.conditions = ['source'];
      },
    });
    try {
      const esm = execFileSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(join(out, 'index.js'))}); const d = await m.loadBundledRedial(); console.log(d.conversations.length + ' ' + m.bundledRedialDir());`], { encoding: 'utf8' });
      const cjs = execFileSync(process.execPath, ['-e', `const m = require(${JSON.stringify(join(out, 'index.cjs'))}); m.loadBundledRedial().then(d => console.log(d.conversations.length + ' ' + m.bundledRedialDir()));`], { encoding: 'utf8' });
      const expected = `500 ${join(pkg, 'data', 'redial-sample')}`;
      expect(esm.trim()).toBe(expected);
      expect(cjs.trim()).toBe(expected);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    expect(existsSync(out)).toBe(false);
  });
});

import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BundleError, loadBundle, MANIFEST_KEY, type BundleManifestFile } from '@lmrec/browser';
import { parseSafetensors, serializeSafetensors, tempDir } from './node-helpers.js';
import { lmrec, spawnLmrec, tinyRun } from './tiny-run.js';

interface Row {
  item: number;
  score: number;
}

const cli = async (run: string, args: string[]): Promise<Row[]> => {
  const r = await lmrec(['recommend', run, ...args, '--json', '--quiet']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Row[];
};

describe('lmrec bundle + @lmrec/browser (in Node, cpu backend)', () => {
  let run: string;
  let out: string;
  let bytes: Uint8Array;
  beforeAll(async () => {
    const dir = tempDir('lmrec-bundle-');
    run = await tinyRun(join(dir, 'tiny'));
    out = join(dir, 'bundle');
    const r = await lmrec(['bundle', run, '--out', out, '--vocabulary', 'all']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^wrote .*: AlphaRec, \d+ items, float32, \d+\.\d\d MB \(\d+ bytes\)/);
    bytes = readFileSync(join(out, 'bundle.safetensors'));
  }, 300_000);

  it('writes a manifest whose size and sha256 are those of the bundle file', () => {
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as BundleManifestFile;
    expect(manifest.bytes).toBe(statSync(join(out, 'bundle.safetensors')).size);
    expect(manifest.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(manifest).toMatchObject({ format: 'lmrec-bundle', version: 1, model: 'alpharec', dtype: 'float32', layers: 2, outDim: 64, hidden: 32, inDim: 24 });
    expect(manifest.titles).toHaveLength(manifest.nItems);
    expect(manifest.intention?.words.length).toBe(manifest.intention?.fullVocabulary);
  });

  it('answers as `lmrec recommend` for a history, with and without an intention', async () => {
    const bundle = await loadBundle(bytes, { backend: 'cpu' });
    const cases = [
      { history: [3, 17, 42], intention: undefined, alpha: undefined },
      { history: [3, 17, 42], intention: 'a scary horror movie with ghosts', alpha: 0.6 },
      { history: [5], intention: 'funny comedy for kids', alpha: 1 },
    ];
    const answers: number[][] = [];
    for (const c of cases) {
      const args = ['--history', c.history.join(','), '--k', '10', ...(c.intention ? ['--intention', c.intention, '--alpha', String(c.alpha)] : [])];
      const expected = await cli(run, args);
      const got = bundle.recommend({ history: c.history, intention: c.intention, alpha: c.alpha, k: 10 });
      expect(got.items.map((r) => r.item)).toEqual(expected.map((r) => r.item));
      got.items.forEach((r, i) => expect(Math.abs(r.score - expected[i].score)).toBeLessThanOrEqual(1e-4));
      expect(got.unknownWords).toEqual([]);
      answers.push(expected.map((r) => r.item));
    }
    // The intention really moves the list (so the equality above covers the intention path).
    expect(answers[1]).not.toEqual(answers[0]);
    bundle.dispose();
  });

  it('float16 halves the floats and stays close', async () => {
    const half = join(out, '..', 'half');
    expect((await lmrec(['bundle', run, '--out', half, '--float16', '--vocabulary', 'all', '--quiet'])).code).toBe(0);
    const small = readFileSync(join(half, 'bundle.safetensors'));
    expect(small.length).toBeLessThan(bytes.length * 0.7);
    const bundle = await loadBundle(small, { backend: 'cpu' });
    const expected = await cli(run, ['--history', '3,17,42', '--k', '5']);
    const got = bundle.recommend({ history: [3, 17, 42], k: 5 });
    got.items.forEach((r, i) => expect(Math.abs(r.score - expected[i].score)).toBeLessThan(2e-2));
    bundle.dispose();
  });

  it('throws typed errors for a truncated bundle, another version, another model type and bad requests', async () => {
    const code = async (source: Uint8Array) => loadBundle(source, { backend: 'cpu' }).then(() => 'loaded', (e: unknown) => (e instanceof BundleError ? e.code : String(e)));
    expect(await code(bytes.subarray(0, bytes.length - 100))).toBe('E_BUNDLE_TRUNCATED');
    expect(await code(bytes.subarray(0, 5))).toBe('E_BUNDLE_TRUNCATED');
    const file = parseSafetensors(bytes);
    const manifest = JSON.parse(file.metadata[MANIFEST_KEY]);
    const rewrite = (change: object) => serializeSafetensors(file.tensors, { [MANIFEST_KEY]: JSON.stringify({ ...manifest, ...change }) });
    expect(await code(rewrite({ version: 2 }))).toBe('E_BUNDLE_VERSION');
    expect(await code(rewrite({ model: 'lightgcn' }))).toBe('E_BUNDLE_MODEL');
    expect(await code(serializeSafetensors(file.tensors))).toBe('E_BUNDLE_FORMAT');
    const bundle = await loadBundle(bytes, { backend: 'cpu' });
    expect(() => bundle.recommend({ history: [manifest.nItems] })).toThrow(expect.objectContaining({ code: 'E_RANGE', field: 'history' }));
    expect(() => bundle.recommend({ history: [1], intention: 'war', alpha: 2 })).toThrow(expect.objectContaining({ code: 'E_ARGUMENT', field: 'alpha' }));
    bundle.dispose();
  });

  it('refuses what it cannot bundle, naming the problem', async () => {
    const pop = await lmrec(['bundle', run, '--model', 'Popularity', '--out', join(out, '..', 'pop')]);
    expect(pop.code).toBe(1);
    expect(pop.stderr).toContain('Popularity is not an AlphaRec model (plugin "popularity")');
    const noOut = await lmrec(['bundle', run]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('--out DIR');
    const notRun = await lmrec(['bundle', out, '--out', join(out, '..', 'x')]);
    expect(notRun.code).toBe(1);
    expect(notRun.stderr).toContain('is not an lmrec run folder');
    const badVocab = await lmrec(['bundle', run, '--out', join(out, '..', 'y'), '--vocabulary', 'lots']);
    expect(badVocab.code).toBe(2);
    expect(badVocab.stderr).toContain('--vocabulary must be a whole number');
  });

  it('bundle and recommend work in a fresh process (the CLI imports @lmrec/browser without starting its tfjs backends)', async () => {
    const fresh = await spawnLmrec(['recommend', run, '--history', '3,17,42', '--k', '3', '--json', '--quiet']);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect((JSON.parse(fresh.stdout) as Row[]).map((r) => r.item)).toEqual((await cli(run, ['--history', '3,17,42', '--k', '3'])).map((r) => r.item));
    const bundled = await spawnLmrec(['bundle', run, '--out', join(out, '..', 'fresh'), '--quiet']);
    expect(bundled.code, bundled.stderr).toBe(0);
  });

  it('a run whose encoder cannot run in a page bundles without intentions, and says so', async () => {
    const lexical = await tinyRun(join(out, '..', 'lexical'), 1, 'encoder: { name: lexical, options: { dim: 32 } }');
    const r = await lmrec(['bundle', lexical, '--out', join(out, '..', 'lexical-bundle')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('this bundle takes no intentions: its encoder "lexical" cannot run in a page');
    const bundle = await loadBundle(readFileSync(join(out, '..', 'lexical-bundle', 'bundle.safetensors')), { backend: 'cpu' });
    expect(bundle.manifest.intention).toBeNull();
    expect(() => bundle.recommend({ history: [1], intention: 'ghosts' })).toThrow(expect.objectContaining({ code: 'E_INTENTION' }));
    const expected = await cli(lexical, ['--history', '1,2', '--k', '5']);
    expect(bundle.recommend({ history: [1, 2], k: 5 }).items.map((x) => x.item)).toEqual(expected.map((x) => x.item));
    bundle.dispose();
  });
});

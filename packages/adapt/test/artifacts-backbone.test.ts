import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@lmrec/core';
import { loadBundledRedial, toCrsExamples } from '@lmrec/datasets';
import { ArtifactsBackbone, exportBackboneArtifacts, LexicalBackbone } from '@lmrec/reindex';
import { runRtaComparison, type RtaComparisonOptions } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'adapt-artifacts-'));
beforeAll(async () => {
  await initBackend();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runRtaComparison with a lazily loaded artifacts backbone', () => {
  it('awaits the backbone before reading its dim, and gives the numbers of the backbone the artifacts were made from', async () => {
    const dataset = await loadBundledRedial();
    const maxExamples = { train: 96, valid: 24, test: 40 };
    const lexical = new LexicalBackbone({ dim: 12, seed: 4 });
    // a tiny artifacts folder: every title, and the contexts of the examples the comparison will use
    const examples = (['train', 'valid', 'test'] as const).flatMap((part) =>
      toCrsExamples(dataset, dataset.split[part]).slice(0, maxExamples[part]).map((e) => ({ id: `${e.conversationId}:${e.turnIndex}`, context: e.context })),
    );
    const unique = [...new Map(examples.map((e) => [e.id, e])).values()];
    await exportBackboneArtifacts(lexical, join(dir, 'art'), { titles: dataset.items.titles, examples: unique, model: 'lexical-as-artifacts' });

    const backbone = new ArtifactsBackbone({ dir: join(dir, 'art') }); // not opened: what the plugin factory builds
    const options: RtaComparisonOptions = { maxExamples, variants: ['Popularity', '+Bias b (frozen agg.)'], reindex: { maxEpochs: 1, negatives: 50 }, bias: { epochs: 1, negatives: 50 }, seed: 1 };
    const fromArtifacts = await runRtaComparison(dataset, { ...options, backbone });
    expect(fromArtifacts.backbone).toContain('lexical-as-artifacts');
    const direct = await runRtaComparison(dataset, { ...options, backbone: lexical });
    expect(fromArtifacts.variants.map((v) => v.name)).toEqual(['Popularity', 'Reindex', '+Bias b (frozen agg.)']);
    expect(fromArtifacts.variants.map((v) => v.test.metrics)).toEqual(direct.variants.map((v) => v.test.metrics));
  });
});

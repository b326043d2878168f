// The README example: reindex the bundled ReDIAL sample with the offline lexical backbone.
import { initBackend } from '@lmrec/core';
import { loadBundledRedial, toCrsExamples } from '@lmrec/datasets';
import { dataLabelPairs, encodeContexts, evaluateReindex, LexicalBackbone, ReindexModel, RnnAggregator, trainReindex } from '@lmrec/reindex';

await initBackend();
const data = await loadBundledRedial();
const [train, valid, test] = [data.split.train, data.split.valid, data.split.test].map((split) => toCrsExamples(data, split));

const backbone = new LexicalBackbone({ dim: 128, queryScale: 20 }); // a lexical stand-in, not an LLM
const aggregator = new RnnAggregator({ dim: 128, hidden: 32, seed: 0 });
const model = await ReindexModel.fromBackbone(backbone, aggregator, data.items.titles);

const result = await trainReindex(
  model,
  dataLabelPairs(await encodeContexts(backbone, train), train),
  { queries: await encodeContexts(backbone, valid), examples: valid },
  { lr: 1e-3, maxEpochs: 3, seed: 0 },
);
const scores = await evaluateReindex(model, { queries: await encodeContexts(backbone, test), examples: test }, { ks: [10, 50] });
console.log(`best epoch ${result.bestEpoch}; test H@10 ${scores.metrics['hit@10'].mean.toFixed(3)} ± ${scores.metrics['hit@10'].se.toFixed(3)}`);

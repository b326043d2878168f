/**
 * Reindex on ReDIAL with the offline lexical backbone (a stand-in, not an
 * LLM): H@10 / N@10 (+ SE) on the test split for Popularity, the untrained
 * `sum` catalogue, and each trained aggregator; time per epoch.
 * Run: pnpm --filter @lmrec/reindex bench   (env BENCH_AGGS=weighted,rnn,trm, BENCH_EPOCHS=8, BENCH_LR=1e-3, BENCH_QSCALE=20, BENCH_DIM=256)
 * From sources without a build:
 *   TSX_TSCONFIG_PATH=bench/tsconfig.json node --conditions=source --import tsx bench/run.ts
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@lmrec/core';
import { loadRedial, toCrsExamples, type CrsExample } from '@lmrec/datasets';
import { evaluateCrs, type EvalResult } from '@lmrec/eval';
import { markdownTable, peakRssMiB, sharedData, writeBenchSection } from '../../../scripts/bench-utils.js';
import { Rng } from '@lmrec/core';
import { ablateContext, createAggregator, dataLabelPairs, encodeContexts, evaluateReindex, learnToIndex, LexicalBackbone, ReindexModel, titleQueries, trainReindex, type AggregatorName, type ContextAblation } from '../src/index.js';

const out = join(import.meta.dirname, 'results.md');
const command = 'pnpm --filter @lmrec/reindex bench';

async function main(): Promise<void> {
  const dir = sharedData('redial');
  if (!dir) {
    console.log('skipped: ../shared/data/redial is absent');
    writeBenchSection(out, 'reindex on ReDIAL (offline lexical backbone)', command, '_skipped: ../shared/data/redial is absent_\n');
    return;
  }
  const backend = await initBackend();
  const t0 = performance.now();
  const data = await loadRedial({
    name: 'redial',
    movies: join(dir, 'movies_with_mentions.csv'),
    train: join(dir, 'extra_train.jsonl'),
    valid: join(dir, 'extra_valid.jsonl'),
    test: join(dir, 'test_data.jsonl.gz'),
  });
  const train = toCrsExamples(data, data.split.train);
  const valid = toCrsExamples(data, data.split.valid);
  const test = toCrsExamples(data, data.split.test);
  const nItems = data.items.titles.length;
  console.log(`loaded ${data.conversations.length} conversations, ${nItems} items; examples train ${train.length} valid ${valid.length} test ${test.length} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);

  const dim = Number(process.env.BENCH_DIM ?? 256);
  // |q| = 20 acts as an inverse temperature for the unit-norm lexical q (with |q| = 1 the logits stay
  // near 0 and the loss near ln 1001); chosen on VALID (|q| = 1: H@10 fell from the first epoch on)
  const queryScale = Number(process.env.BENCH_QSCALE ?? 20);
  const backbone = new LexicalBackbone({ dim, seed: 0, queryScale });
  backbone.fit(data.split.train.flatMap((ci) => data.conversations[ci].turns.map((t) => t.text)));
  const tq = performance.now();
  const [qTrain, qValid, qTest] = [await encodeContexts(backbone, train), await encodeContexts(backbone, valid), await encodeContexts(backbone, test)];
  const encodeMs = performance.now() - tq;

  const rows: Record<string, string | number>[] = [];
  const row = (name: string, r: EvalResult, extra: Record<string, string | number> = {}) => {
    const m = (k: string) => `${r.metrics[k].mean.toFixed(4)} ± ${r.metrics[k].se.toFixed(4)}`;
    rows.push({ model: name, 'H@10': m('hit@10'), 'N@10': m('ndcg@10'), 'H@50': m('hit@50'), ...extra });
    console.log(`${name} ${JSON.stringify(rows[rows.length - 1])} (${((performance.now() - t0) / 1000).toFixed(0)} s since start)`);
  };

  // Popularity: how often each item is a target among the train examples
  const pop = new Float32Array(nItems);
  for (const e of train) pop[e.target] += 1;
  const popResult = await evaluateCrs({ nItems, scoreExamples: (idx) => { const s = new Float32Array(idx.length * nItems); for (let r = 0; r < idx.length; r++) s.set(pop, r * nItems); return s; } }, test, { ks: [1, 5, 10, 50] });
  row('Popularity (train targets)', popResult, { 'epochs (best)': '-', 's / epoch': '-' });

  const ks = [1, 5, 10, 50];
  const sum = await ReindexModel.fromBackbone(backbone, createAggregator('sum', { dim }), data.items.titles);
  row('Lexical q . V, sum aggregator (untrained)', await evaluateReindex(sum, { queries: qTest, examples: test }, { ks }), { 'epochs (best)': '-', 's / epoch': '-' });

  // Analyses on the untrained lexical catalogue: Learn-to-Index and the context ablations
  const analyses: Record<string, string | number>[] = [];
  const l2i = learnToIndex(sum, await titleQueries(backbone, data.items.titles));
  analyses.push({ analysis: 'Learn-to-Index (own title as query, all items)', n: l2i.n, 'H@1': l2i.hit1.toFixed(4), 'H@10': l2i.hit10.toFixed(4) });
  for (const mode of ['S0', 'S1', 'S2', 'S3'] as ContextAblation[]) {
    const rng = new Rng(0).fork(mode);
    const ablated = test.map((e) => ({ id: e.id, context: ablateContext(e.context, mode, { titles: data.items.titles, rng }) }));
    const r = await evaluateReindex(sum, { queries: await encodeContexts(backbone, ablated), examples: test }, { ks: [1, 10] });
    analyses.push({ analysis: `context ablation ${mode}`, n: r.n, 'H@1': r.metrics['hit@1'].mean.toFixed(4), 'H@10': `${r.metrics['hit@10'].mean.toFixed(4)} ± ${r.metrics['hit@10'].se.toFixed(4)}` });
  }
  console.log(markdownTable(analyses));
  sum.dispose();

  const aggs = (process.env.BENCH_AGGS ?? 'weighted,rnn,trm').split(',').filter(Boolean) as AggregatorName[];
  const maxEpochs = Number(process.env.BENCH_EPOCHS ?? 8);
  const lr = Number(process.env.BENCH_LR ?? 1e-3);
  const settings: Record<AggregatorName, Record<string, unknown>> = {
    sum: {},
    weighted: { maxLen: 32, linearInit: 'identity' },
    rnn: { hidden: 64 },
    trm: { heads: 8, ffnDim: 512, dropout: 0.1 },
  };
  for (const name of aggs) {
    const aggregator = createAggregator(name, { dim, seed: 0, ...settings[name] });
    const model = await ReindexModel.fromBackbone(backbone, aggregator, data.items.titles);
    const tensorsBefore = tf.memory().numTensors;
    const tt = performance.now();
    const result = await trainReindex(model, dataLabelPairs(qTrain, train), { queries: qValid, examples: valid as CrsExample[] }, {
      lr,
      maxEpochs,
      patience: 3,
      seed: 0,
      onEpoch: (l) => console.log(`  ${name} epoch ${l.epoch}: loss ${l.loss.toFixed(4)} valid H@10 ${l.valid?.toFixed(4)} (${(l.ms / 1000).toFixed(1)} s)`),
    });
    const trainS = (performance.now() - tt) / 1000;
    const perEpoch = result.epochs.reduce((s, e) => s + e.ms, 0) / Math.max(1, result.epochs.length) / 1000;
    row(`Reindex ${name} (${JSON.stringify(settings[name])})`, await evaluateReindex(model, { queries: qTest, examples: test }, { ks }), {
      'epochs (best)': `${result.epochs.length} (${result.bestEpoch})`,
      's / epoch': perEpoch.toFixed(1),
    });
    console.log(`  trained in ${trainS.toFixed(1)} s; tensors ${tensorsBefore} -> ${tf.memory().numTensors}`);
    model.dispose();
    aggregator.dispose();
  }

  const body = [
    `ReDIAL: train = extra_train.jsonl (${train.length} examples), valid = extra_valid.jsonl (${valid.length}), test = test_data.jsonl.gz (${test.length} examples), catalogue = all ${nItems} movies of movies_with_mentions.csv; CRS protocol (ties averaged, mentioned items NOT excluded), mean ± SE over test examples.`,
    '',
    `Backbone: offline lexical stand-in (hashed words, d = ${dim}, IDF fitted on train turns, recency decay 0.8, |q| = ${queryScale}) — NOT an LLM, so these numbers say nothing about Llama-2; they check the pipeline end to end. Training: data labels, ${1000} uniform negatives shared per batch, AdamW lr ${lr} (reference 1e-4 is for 4096-d LLM states), wd 0, batch 256, clip 5, early stopping on valid H@10 (patience 3, max ${maxEpochs} epochs, keep-best). Context encoding: ${(encodeMs / 1000).toFixed(1)} s for ${train.length + valid.length + test.length} contexts. Backend: ${backend.name}.`,
    '',
    markdownTable(rows),
    'Analyses (lexical sum catalogue, untrained; test split for the ablations: S0 original, S1 items only, S2 items removed, S3 items replaced at random):',
    '',
    markdownTable(analyses),
    `Peak RSS: ${peakRssMiB().toFixed(0)} MiB; total ${((performance.now() - t0) / 1000).toFixed(0)} s; load average at the end ${loadavg().map((x) => x.toFixed(1)).join(' / ')} (1 / 5 / 15 min; the machine is shared, times per epoch scale with it).`,
  ].join('\n');
  writeBenchSection(out, 'reindex on ReDIAL (offline lexical backbone)', command, body);
  console.log(body);
}

await main();

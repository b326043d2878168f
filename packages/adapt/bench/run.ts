/**
 * The RTA comparison table on ReDIAL (../shared/data/redial) with the
 * offline lexical backbone (hashed words, NOT an LLM). Writes
 * bench/results.md and bench/results.json. Epoch caps keep the run near
 * 20 minutes on the 2-core machine; they are printed in the results.
 */
import { join } from 'node:path';
import { initBackend, writeJsonAtomic, type ProgressReporter } from '@lmrec/core';
import { loadRedial, toCrsExamples, type ConversationDataset } from '@lmrec/datasets';
import { createAggregator, LexicalBackbone, ReindexModel } from '@lmrec/reindex';
import { machineInfo, peakRssMiB, sharedData, writeBenchSection } from '../../../scripts/bench-utils.js';
import { runRtaComparison, type RtaComparisonOptions } from '../src/index.js';

const here = import.meta.dirname;
const out = join(here, 'results.md');
const command = 'pnpm --filter @lmrec/adapt bench';

const progress: ProgressReporter = {
  start(name, total) {
    const t0 = performance.now();
    let fields: Record<string, number | string> = {};
    return {
      tick() {},
      set(f) {
        fields = { ...fields, ...f };
      },
      end() {
        const s = (performance.now() - t0) / 1000;
        if (s > 2 || /epoch/.test(name)) console.log(`  ${name}${total ? ` (${total})` : ''}: ${s.toFixed(1)} s ${JSON.stringify(fields)}`);
      },
    };
  },
  log: (message) => console.log(message),
};

/**
 * The lexical backbone's q has unit norm, so g = q . v is O(1) where an LLM's
 * logits are O(10): pick the norm (a softmax temperature) that minimises the
 * VALID cross-entropy of the untrained reindex model (weighted aggregator at
 * its identity init). Valid only; no test data is touched.
 */
async function calibratedBackbone(dataset: ConversationDataset, seed: number): Promise<{ backbone: LexicalBackbone; scale: number; losses: Record<number, number> }> {
  const corpus = dataset.split.train.flatMap((ci) => dataset.conversations[ci].turns.map((t) => t.text));
  const unit = new LexicalBackbone({ seed });
  unit.fit(corpus);
  const valid = toCrsExamples(dataset, dataset.split.valid);
  const q = await unit.contextVectors(valid.map((e) => e.context));
  const model = await ReindexModel.fromBackbone(unit, createAggregator('weighted', { dim: unit.dim, seed, linearInit: 'identity' }), dataset.items.titles);
  const logits = model.score(Float32Array.from(q.flatMap((v) => Array.from(v))));
  model.aggregator.dispose();
  model.dispose();
  const n = dataset.items.ids.length;
  const losses: Record<number, number> = {};
  for (const scale of [1, 2, 5, 10, 20, 50]) {
    let sum = 0;
    valid.forEach((e, i) => {
      let max = -Infinity;
      for (let j = 0; j < n; j++) max = Math.max(max, scale * logits[i * n + j]);
      let z = 0;
      for (let j = 0; j < n; j++) z += Math.exp(scale * logits[i * n + j] - max);
      sum += max + Math.log(z) - scale * logits[i * n + e.target];
    });
    losses[scale] = sum / valid.length;
  }
  const scale = Number(Object.entries(losses).sort((a, b) => a[1] - b[1])[0][0]);
  const backbone = new LexicalBackbone({ seed, queryScale: scale });
  backbone.fit(corpus);
  return { backbone, scale, losses };
}

async function main(): Promise<void> {
  const dir = sharedData('redial');
  if (!dir) {
    console.log('skipped: ../shared/data/redial is absent');
    writeBenchSection(out, 'adapt: RTA comparison on ReDIAL', command, '_skipped: ../shared/data/redial is absent_\n');
    return;
  }
  const backend = await initBackend();
  const t0 = performance.now();
  const dataset = await loadRedial({
    name: 'redial',
    movies: join(dir, 'movies_with_mentions.csv'),
    train: join(dir, 'extra_train.jsonl'),
    valid: join(dir, 'extra_valid.jsonl'),
    test: join(dir, 'test_data.jsonl.gz'),
  });
  const calibration = await calibratedBackbone(dataset, 0);
  console.log(`query scale ${calibration.scale} (valid CE ${JSON.stringify(calibration.losses)})`);
  const options: RtaComparisonOptions = {
    seed: 0,
    backbone: calibration.backbone,
    aggregator: 'weighted',
    reindex: { maxEpochs: 8, patience: 2 },
    bias: { epochs: 20, patience: 6, learningRate: 1e-2, indexLearningRate: 1e-4 },
    gating: { epochs: 10, patience: 4, learningRate: 1e-2, indexLearningRate: 1e-4 },
    progress,
  };
  const result = await runRtaComparison(dataset, options);
  const seconds = (performance.now() - t0) / 1000;
  await writeJsonAtomic(join(here, 'results.json'), {
    machine: machineInfo(),
    backend: backend.name,
    seconds,
    queryScale: calibration,
    options: { ...options, progress: undefined, backbone: result.backbone },
    result,
  });

  const rows = result.variants
    .map((v) => {
      const t = v.training;
      const epochs = t ? `${t.epochsRun} (best ${t.bestEpoch}${t.stoppedEarly ? ', early stop' : ''})` : '';
      return `| ${v.name} | ${v.seconds.toFixed(1)} | ${epochs} | ${t ? t.bestValid.toFixed(4) : ''} | ${v.gate === undefined ? '' : v.gate.toFixed(3)} |`;
    })
    .join('\n');
  const body = [
    `Data: ReDIAL, train = \`extra_train.jsonl\` (${result.dataset.conversations.train} conversations), valid = \`extra_valid.jsonl\` (${result.dataset.conversations.valid}), test = official \`test_data\` (${result.dataset.conversations.test}); the official train split is not staged, so train is a 500-conversation subset of it (~5% of ReDIAL's train).`,
    `Examples (recommender turn x mentioned item): train ${result.dataset.examples.train}, valid ${result.dataset.examples.valid}, test ${result.dataset.examples.test}; catalogue ${result.dataset.nItems} movies (every movie of movies_with_mentions.csv).`,
    `Backbone: \`${result.backbone}\`, the offline stand-in (hashed words, NOT an LLM), so absolute numbers are not the paper's. Its query norm (a softmax temperature) ${calibration.scale} minimises the VALID cross-entropy of the untrained reindex model among ${Object.keys(calibration.losses).join(', ')}. Aggregator: ${result.aggregator} (Linear initialised to the identity). Tensor backend: ${backend.name}.`,
    `Caps: reindex <= ${options.reindex?.maxEpochs} epochs (patience ${options.reindex?.patience}); +Bias <= ${options.bias?.epochs} epochs (patience ${options.bias?.patience}), lr ${options.bias?.learningRate}; a trainable aggregator always trains at lr ${options.bias?.indexLearningRate} (reindex's rate) in its own optimiser parameter group; gating and FISM/SASRec alone <= ${options.gating?.epochs} epochs (patience ${options.gating?.patience}), lr ${options.gating?.learningRate}; AdamW (weight decay 0.01), batch 256, 1000 negatives without replacement, early stopping and keep-best on VALID Recall@10 (the untrained model counts as epoch 0). Reindex: ${result.reindexTraining.epochs} epochs, best ${result.reindexTraining.bestEpoch}, valid hit@10 ${result.reindexTraining.initialValid?.toFixed(4)} -> ${result.reindexTraining.bestValid?.toFixed(4)} (${result.reindexTraining.seconds.toFixed(0)} s).`,
    '',
    '### Test, reference protocol (mentioned items stay candidates)',
    '',
    result.table.markdown,
    '### Test, mentioned items excluded',
    '',
    result.tableExcludeMentioned?.markdown ?? '',
    '### Popularity-bias diagnostics (test, top-10) and learned gates',
    '',
    result.diagnosticsMarkdown,
    '### Run time and training',
    '',
    '| row | seconds | epochs | best valid recall@10 | gate s |',
    '|---|---:|---|---:|---:|',
    rows,
    '',
    `Total ${seconds.toFixed(0)} s (${(seconds / 60).toFixed(1)} min), peak RSS ${peakRssMiB().toFixed(0)} MiB.`,
    '',
  ].join('\n');
  writeBenchSection(out, 'adapt: RTA comparison on ReDIAL (offline backbone)', command, body);
  console.log(`wrote ${out} in ${seconds.toFixed(0)} s`);
}

await main();

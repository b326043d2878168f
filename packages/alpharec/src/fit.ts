import { evaluateFullRanking } from '@lmrec/eval';
import { Trainer, type Evaluator } from '@lmrec/recsys';
import { CONFIG_KEYS, DEFAULTS, LEAK_WARNING, type AlphaRecConfig, type AlphaRecFitOptions } from './config.js';

/** A fit's options split into the per-fit model config (over the model's own) and the run options. */
export function splitFitOptions(own: AlphaRecConfig, options: AlphaRecFitOptions): { config: AlphaRecConfig; run: AlphaRecFitOptions } {
  const config: AlphaRecConfig = { ...own };
  const run: AlphaRecFitOptions = {};
  for (const [key, value] of Object.entries(options)) {
    if ((CONFIG_KEYS as readonly string[]).includes(key)) {
      if (value !== undefined) (config as Record<string, unknown>)[key] = value;
    } else {
      (run as Record<string, unknown>)[key] = value;
    }
  }
  return { config, run };
}

/**
 * The Trainer of one AlphaRec fit: Adam at the config's lr, full-ranking
 * selection on VALID (or, labelled as a leak, on TEST), checkpoints, the
 * wall-clock budget (`maxSeconds`) and the rest of the run options.
 */
export function alphaRecTrainer(c: AlphaRecConfig, run: AlphaRecFitOptions): Trainer {
  const selectOn = c.selectOn ?? 'valid';
  // selection needs the ranking metrics only: skip the list-level diagnostics (coverage, gini, ...)
  const evaluator: Evaluator =
    selectOn === 'test'
      ? (scorer, s, o) => evaluateFullRanking(scorer, s, { ...o, on: 'test', aggregates: false })
      : (scorer, s, o) => evaluateFullRanking(scorer, s, { ...o, aggregates: false });
  if (selectOn === 'test') run.progress?.log?.(`warning: ${LEAK_WARNING}`);
  return new Trainer({
    epochs: c.epochs ?? DEFAULTS.epochs,
    batchSize: c.batchSize ?? DEFAULTS.batchSize,
    evalEvery: c.evalEvery ?? DEFAULTS.evalEvery,
    patience: c.patience ?? DEFAULTS.patience,
    metric: c.metric ?? DEFAULTS.metric,
    optimizer: { name: 'adam', lr: c.lr ?? DEFAULTS.lr },
    seed: run.seed ?? 2024,
    evaluator,
    checkpointDir: run.checkpointDir,
    checkpointKey: run.checkpointKey,
    resume: run.resume,
    checkpointEvery: run.checkpointEvery,
    logPath: run.logPath,
    signal: run.signal,
    onEpochEnd: run.onEpochEnd,
    progress: run.progress,
    maxSeconds: run.maxSeconds,
    minDelta: run.minDelta,
    keepBest: run.keepBest,
  });
}

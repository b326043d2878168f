import { LmrecError, silentProgress, type ProgressReporter } from '@lmrec/core';
import type { TrainerOptions } from './trainer.js';

/** TrainerOptions with every default filled in. */
export function resolveOptions(o: TrainerOptions) {
  const r = {
    epochs: o.epochs ?? 100,
    batchSize: o.batchSize ?? 2048,
    seed: o.seed ?? 2024,
    evalEvery: o.evalEvery ?? 5,
    metric: o.metric ?? 'recall@20',
    patience: o.patience ?? 10,
    minDelta: o.minDelta ?? 0,
    keepBest: o.keepBest ?? true,
    evaluateInitial: o.evaluateInitial ?? false,
    checkpointEvery: o.checkpointEvery ?? 1,
    progress: (o.progress ?? silentProgress) as ProgressReporter,
  };
  const positiveInt = (v: number, field: string, min: number) => {
    if (!(Number.isInteger(v) && v >= min)) throw new LmrecError('E_CONFIG', `${field} must be an integer >= ${min}, got ${JSON.stringify(v)}`, { field });
  };
  positiveInt(r.batchSize, 'batchSize', 1);
  positiveInt(r.epochs, 'epochs', 0);
  positiveInt(r.evalEvery, 'evalEvery', 0);
  positiveInt(r.checkpointEvery, 'checkpointEvery', 1);
  if (!(r.patience >= 1)) throw new LmrecError('E_CONFIG', `patience must be >= 1 (Infinity disables early stopping), got ${JSON.stringify(r.patience)}`, { field: 'patience' });
  return r;
}

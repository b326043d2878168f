import type { ProgressReporter } from '@lmrec/core';
import type { VectorStore } from '@lmrec/vectors';
import { LMREC_VERSION } from '../version.js';
import type { SavedRun } from './open.js';
import type { ServedModel } from './served.js';
import { runKeyOf } from './services.js';

export interface Exported {
  label: string;
  runKey: string;
  version: number;
  items: number;
  users: number;
  dim: number;
  /** How the index orders: inner product (the Scorer contract); `unit` when the vectors are unit length (= cosine). */
  metric: 'inner product' | 'inner product of unit vectors (= cosine)';
  seconds: number;
}

/**
 * Writes one model's item vectors (and user vectors with each user's known
 * items) into the store under `<run name>/<label>`; re-exporting replaces the
 * previous version in one transaction.
 */
export async function exportModel(store: VectorStore, run: SavedRun, m: ServedModel, progress?: ProgressReporter): Promise<Exported> {
  const f = m.factors!;
  const started = performance.now();
  const runKey = runKeyOf(run, m.label);
  const users = f.users && f.users.length > 0 ? f.users : undefined;
  const info = await store.exportRun({
    runKey,
    model: m.label,
    runId: run.config.name,
    score: 'dot',
    dim: f.dim,
    nItems: f.nItems,
    itemsT: f.itemsT,
    ...(f.titles ? { titles: f.titles } : {}),
    ...(users ? { users, seen: f.seen } : {}),
    metadata: { plugin: m.plugin, experiment: run.config.experiment, runDir: run.dir, lmrec: LMREC_VERSION },
    ...(progress ? { progress } : {}),
  });
  return {
    label: m.label,
    runKey,
    version: info.version,
    items: info.nItems,
    users: info.nUsers,
    dim: info.dim,
    metric: unitColumns(f.itemsT, f.dim, f.nItems) ? 'inner product of unit vectors (= cosine)' : 'inner product',
    seconds: (performance.now() - started) / 1000,
  };
}

function unitColumns(itemsT: Float32Array, dim: number, n: number): boolean {
  const norms = new Float64Array(n);
  for (let c = 0; c < dim; c++) for (let j = 0; j < n; j++) norms[j] += itemsT[c * n + j] ** 2;
  return n > 0 && norms.every((x) => Math.abs(x - 1) < 1e-4);
}

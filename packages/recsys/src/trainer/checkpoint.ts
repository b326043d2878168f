import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { LmrecError, readSafetensors, tf, writeFileAtomic, writeJsonAtomic, writeSafetensors, type SafeTensor } from '@lmrec/core';
import type { RngState } from './rng-state.js';
import type { EpochRecord } from './types.js';

/** A host copy of tensors (keep-best snapshots, checkpoint payloads). */
export type HostState = Record<string, SafeTensor>;

export function toHost(state: Record<string, tf.Tensor>): HostState {
  const out: HostState = {};
  for (const [name, t] of Object.entries(state)) {
    const data = t.dataSync();
    out[name] = t.dtype === 'int32'
      ? { dtype: 'I32', shape: [...t.shape], data: Int32Array.from(data as Int32Array) }
      : { dtype: 'F32', shape: [...t.shape], data: Float32Array.from(data as Float32Array) };
  }
  return out;
}

/** Tensors from a host copy; the caller disposes them. */
export function fromHost(state: HostState): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const [name, s] of Object.entries(state)) {
    const isInt = s.dtype === 'I32' || s.dtype === 'I64' || s.dtype === 'I16' || s.dtype === 'I8' || s.dtype === 'U8';
    const data = isInt ? Int32Array.from(s.data as ArrayLike<number>, Number) : s.data instanceof Float32Array ? s.data : Float32Array.from(s.data as ArrayLike<number>, Number);
    out[name] = tf.tensor(data, s.shape, isInt ? 'int32' : 'float32');
  }
  return out;
}

/** Run `fn` with tensors made from a host copy, then free them. */
export function withHostTensors<T>(state: HostState, fn: (tensors: Record<string, tf.Tensor>) => T): T {
  const tensors = fromHost(state);
  try {
    return fn(tensors);
  } finally {
    for (const t of Object.values(tensors)) t.dispose();
  }
}

/** Trainer bookkeeping saved next to the weights. */
export interface TrainerState {
  format: 'lmrec-trainer-checkpoint';
  version: 1;
  model: string;
  seed: number;
  /** TrainerOptions.checkpointKey of the run that wrote it. */
  key?: string;
  /** Completed epochs (the next epoch to run is this number, 0-based). */
  epoch: number;
  /** Completed optimiser steps. */
  step: number;
  /**
   * Random state: every stream is forked from the seed and labelled by its
   * epoch ("sample:<e>", "train:<e>"), so seed + epoch restore it exactly.
   */
  rng: { seed: number; streams: string[] };
  /** 0-based; -1 with `hasBest` = the initial weights are the best so far. */
  bestEpoch: number;
  bestScore: number | null;
  bestMetrics?: Record<string, number>;
  /** An evaluation has set the best score (absent in checkpoints written before evaluateInitial existed). */
  hasBest?: boolean;
  initialMetrics?: Record<string, number>;
  badEvals: number;
  finished: boolean;
  stoppedEarly: boolean;
  log: EpochRecord[];
  /** States of the random streams that run on across epochs (model-owned streams, stateful samplers). */
  streams?: Record<string, RngState>;
  /** A stateful sampler's own state after the last completed epoch. */
  sampler?: unknown;
}

export interface Checkpoint {
  trainer: TrainerState;
  weights: HostState;
  optimizer: HostState;
  best?: HostState;
}

/**
 * Writes `dir/epoch-<n>/` (weights, optimizer, best weights, trainer.json)
 * under a temporary name, renames it into place, then points
 * `dir/latest.json` at it, and removes older checkpoints. A kill at any
 * moment leaves the previous checkpoint intact and referenced.
 */
export async function writeCheckpoint(dir: string, ckpt: Checkpoint): Promise<string> {
  await fs.mkdir(dir, { recursive: true });
  const name = `epoch-${String(ckpt.trainer.epoch).padStart(5, '0')}`;
  const tmp = join(dir, `.${name}.tmp-${process.pid}`);
  await fs.rm(tmp, { recursive: true, force: true });
  await fs.mkdir(tmp, { recursive: true });
  await writeSafetensors(join(tmp, 'weights.safetensors'), ckpt.weights, { epoch: String(ckpt.trainer.epoch) });
  await writeSafetensors(join(tmp, 'optimizer.safetensors'), ckpt.optimizer, { epoch: String(ckpt.trainer.epoch) });
  if (ckpt.best) await writeSafetensors(join(tmp, 'best.safetensors'), ckpt.best, { epoch: String(ckpt.trainer.bestEpoch) });
  await writeJsonAtomic(join(tmp, 'trainer.json'), ckpt.trainer);
  const final = join(dir, name);
  await fs.rm(final, { recursive: true, force: true });
  await fs.rename(tmp, final);
  await writeJsonAtomic(join(dir, 'latest.json'), { epoch: ckpt.trainer.epoch, dir: name });
  for (const entry of await fs.readdir(dir)) {
    if (entry !== name && /^epoch-\d+$/.test(entry)) await fs.rm(join(dir, entry), { recursive: true, force: true });
  }
  return final;
}

/** The checkpoint `latest.json` points at, or undefined when there is none. */
export async function readLatestCheckpoint(dir: string): Promise<Checkpoint | undefined> {
  let latest: { dir: string };
  try {
    latest = JSON.parse(await fs.readFile(join(dir, 'latest.json'), 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new LmrecError('E_CHECKPOINT', `cannot read latest.json: ${(error as Error).message}`, { file: join(dir, 'latest.json') });
  }
  const base = join(dir, latest.dir);
  const trainerFile = join(base, 'trainer.json');
  let trainer: TrainerState;
  try {
    trainer = JSON.parse(await fs.readFile(trainerFile, 'utf8'));
  } catch (error) {
    throw new LmrecError('E_CHECKPOINT', `cannot read trainer state: ${(error as Error).message}`, { file: trainerFile });
  }
  if (trainer.format !== 'lmrec-trainer-checkpoint') {
    throw new LmrecError('E_CHECKPOINT', 'not an lmrec trainer checkpoint', { file: trainerFile, field: 'format' });
  }
  const weights = (await readSafetensors(join(base, 'weights.safetensors'))).tensors;
  const optimizer = (await readSafetensors(join(base, 'optimizer.safetensors'))).tensors;
  const bestFile = join(base, 'best.safetensors');
  const hasBest = await fs.access(bestFile).then(() => true, () => false);
  const best: HostState | undefined = hasBest ? (await readSafetensors(bestFile)).tensors : undefined;
  return { trainer, weights, optimizer, best };
}

/** The per-epoch log as JSON lines, rewritten whole (it is small) so it always matches the run. */
export async function writeLog(path: string, log: readonly EpochRecord[]): Promise<void> {
  await writeFileAtomic(path, log.map((r) => JSON.stringify(r)).join('\n') + (log.length ? '\n' : ''));
}


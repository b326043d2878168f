import { LmrecError, type Rng } from '@lmrec/core';
import { captureRng, restoreRng, type RngState } from './rng-state.js';
import type { Sampler } from './types.js';

interface ShuffledState {
  rng: RngState;
  order: number[];
}

/**
 * A sampler over `n` training units whose order is reshuffled in place every
 * epoch by its own random stream, which runs on across epochs (as RTA's
 * reference loops do); `state()` / `restore()` carry the stream and the
 * permutation through checkpoints, so a resumed run continues exactly.
 * Subclasses turn each chunk of the order into a batch, drawing their
 * negatives from `this.rng` in between.
 */
export abstract class ShuffledOrderSampler<B> implements Sampler<B> {
  readonly dropLast = false;
  abstract readonly unit: string;
  protected readonly order: Int32Array;

  constructor(
    n: number,
    protected readonly rng: Rng,
  ) {
    this.order = Int32Array.from({ length: n }, (_, i) => i);
  }

  size(): number {
    return this.order.length;
  }

  abstract batches(epochRng: Rng, batchSize: number): Iterable<{ batch: B; size: number }>;

  /** This epoch's order in chunks of `batchSize` (views: copy what a batch keeps). */
  protected *chunks(batchSize: number): Iterable<Int32Array> {
    const order = this.order;
    this.rng.shuffle(order);
    for (let start = 0; start < order.length; start += batchSize) yield order.subarray(start, Math.min(order.length, start + batchSize));
  }

  state(): ShuffledState {
    return { rng: captureRng(this.rng), order: Array.from(this.order) };
  }

  restore(state: unknown): void {
    const s = state as ShuffledState;
    if (!Array.isArray(s?.order) || s.order.length !== this.order.length) {
      throw new LmrecError('E_CHECKPOINT', `the checkpoint's ${this.unit} order has ${s?.order?.length} entries, the training data ${this.order.length}`, {
        hint: `the training ${this.unit} changed: use another checkpointDir`,
      });
    }
    restoreRng(this.rng, s.rng);
    this.order.set(s.order);
  }
}

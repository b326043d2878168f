import { LmrecError, type Rng } from '@lmrec/core';
import { captureRng, restoreRng, type RngState, type Sampler } from '@lmrec/recsys';
import type { ReindexModel } from './model.js';

/** Training pairs: (row of `queries`, item id), e.g. one per example and target. */
export interface ReindexPairs {
  /** Context vectors [nQueries * d]. */
  queries: Float32Array;
  queryIndex: Int32Array;
  items: Int32Array;
}

/** One step of reindex training: B context vectors, then B positives and the shared negatives. */
export interface ReindexBatch {
  /** [B * d] context vectors. */
  q: Float32Array;
  /** B positives, then `negatives` items, each part sorted by title length (tight padding). */
  items: Int32Array;
  size: number;
}

interface PairSamplerState {
  rng: RngState;
  order: number[];
}

/**
 * RTA's reindex batches: the pairs in an order reshuffled in place every
 * epoch, `negatives` items uniform over the catalogue shared by a batch.
 * The stream is its own and runs on across epochs (as the reference loop's
 * does); its state and the permutation are checkpointed through
 * `state()` / `restore()`, so a resumed run continues it exactly.
 */
export class ReindexPairSampler implements Sampler<ReindexBatch> {
  readonly unit = 'pairs';
  readonly dropLast = false;
  private readonly order: Int32Array;

  constructor(
    private readonly pairs: ReindexPairs,
    private readonly model: ReindexModel,
    private readonly negatives: number,
    private readonly rng: Rng,
  ) {
    this.order = new Int32Array(pairs.items.length).map((_, i) => i);
  }

  size(): number {
    return this.order.length;
  }

  *batches(_epochRng: Rng, batchSize: number): Iterable<{ batch: ReindexBatch; size: number }> {
    const { order, pairs, model } = this;
    const d = model.dim;
    this.rng.shuffle(order);
    const steps = Math.ceil(order.length / batchSize);
    for (let s = 0; s < steps; s++) {
      // positives and negatives sorted by title length: chunks of the aggregator pad little
      const batch = sortPairs(order.subarray(s * batchSize, Math.min(order.length, (s + 1) * batchSize)), pairs.items, model.lengths);
      const B = batch.length;
      const q = new Float32Array(B * d);
      const items = new Int32Array(B + this.negatives);
      batch.forEach((p, r) => {
        const qi = pairs.queryIndex[p];
        q.set(pairs.queries.subarray(qi * d, (qi + 1) * d), r * d);
        items[r] = pairs.items[p];
      });
      const negs = new Int32Array(this.negatives);
      for (let j = 0; j < this.negatives; j++) negs[j] = this.rng.int(model.nItems);
      items.set(model.byLength(negs), B);
      yield { batch: { q, items, size: B }, size: B };
    }
  }

  state(): PairSamplerState {
    return { rng: captureRng(this.rng), order: Array.from(this.order) };
  }

  restore(state: unknown): void {
    const s = state as PairSamplerState;
    if (!Array.isArray(s?.order) || s.order.length !== this.order.length) {
      throw new LmrecError('E_CHECKPOINT', `the checkpoint's pair order has ${s?.order?.length} entries, the training data ${this.order.length}`, { hint: 'the training pairs changed: use another checkpointDir' });
    }
    restoreRng(this.rng, s.rng);
    this.order.set(s.order);
  }
}

/** Pair indices sorted (stably) by the title length of their item. */
function sortPairs(pairs: Int32Array, items: Int32Array, lengths: Int32Array): Int32Array {
  return Int32Array.from([...pairs].sort((a, b) => lengths[items[a]] - lengths[items[b]] || a - b));
}

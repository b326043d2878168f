import type { Rng } from '@lmrec/core';
import { ShuffledOrderSampler } from '@lmrec/recsys';
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

/**
 * RTA's reindex batches: the pairs reshuffled every epoch, `negatives` items
 * uniform over the catalogue shared by a batch, all from the sampler's own
 * stream (checkpointed: see ShuffledOrderSampler).
 */
export class ReindexPairSampler extends ShuffledOrderSampler<ReindexBatch> {
  readonly unit = 'pairs';

  constructor(
    private readonly pairs: ReindexPairs,
    private readonly model: ReindexModel,
    private readonly negatives: number,
    rng: Rng,
  ) {
    super(pairs.items.length, rng);
  }

  *batches(_epochRng: Rng, batchSize: number): Iterable<{ batch: ReindexBatch; size: number }> {
    const { pairs, model } = this;
    const d = model.dim;
    for (const chunk of this.chunks(batchSize)) {
      // positives and negatives sorted by title length: chunks of the aggregator pad little
      const batch = sortPairs(chunk, pairs.items, model.lengths);
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
}

/** Pair indices sorted (stably) by the title length of their item. */
function sortPairs(pairs: Int32Array, items: Int32Array, lengths: Int32Array): Int32Array {
  return Int32Array.from([...pairs].sort((a, b) => lengths[items[a]] - lengths[items[b]] || a - b));
}

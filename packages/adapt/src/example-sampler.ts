import type { Rng } from '@lmrec/core';
import { ShuffledOrderSampler } from '@lmrec/recsys';
import type { AdaptExamples } from './examples.js';

/** One adapt step: the example rows, and the item columns [targets of the rows..., shared negatives...]. */
export interface AdaptStepBatch {
  rows: Int32Array;
  cols: Int32Array;
}

/**
 * RTA's adapt batches: the examples reshuffled every epoch, `negatives` items
 * drawn without replacement from the catalogue and shared by the batch, all
 * from the sampler's own stream (checkpointed: see ShuffledOrderSampler).
 */
export class AdaptExampleSampler extends ShuffledOrderSampler<AdaptStepBatch> {
  readonly unit = 'examples';

  constructor(
    private readonly examples: AdaptExamples,
    private readonly nItems: number,
    private readonly negatives: number,
    rng: Rng,
  ) {
    super(examples.targets.length, rng);
  }

  *batches(_epochRng: Rng, batchSize: number): Iterable<{ batch: AdaptStepBatch; size: number }> {
    for (const chunk of this.chunks(batchSize)) {
      const rows = chunk.slice();
      const negatives = this.rng.sampleWithoutReplacement(this.nItems, this.negatives);
      const cols = new Int32Array(rows.length + this.negatives);
      rows.forEach((r, i) => (cols[i] = this.examples.targets[r]));
      cols.set(negatives, rows.length);
      yield { batch: { rows, cols }, size: rows.length };
    }
  }
}

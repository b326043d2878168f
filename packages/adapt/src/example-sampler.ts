import { LmrecError, type Rng } from '@lmrec/core';
import { captureRng, restoreRng, type RngState, type Sampler } from '@lmrec/recsys';
import type { AdaptExamples } from './examples.js';

/** One adapt step: the example rows, and the item columns [targets of the rows..., shared negatives...]. */
export interface AdaptStepBatch {
  rows: Int32Array;
  cols: Int32Array;
}

interface ExampleSamplerState {
  rng: RngState;
  order: number[];
}

/**
 * RTA's adapt batches: the examples in an order reshuffled in place every
 * epoch, `negatives` items drawn without replacement from the catalogue and
 * shared by the batch. Its stream runs on across epochs (as the reference
 * loop's does); `state()` / `restore()` carry it and the permutation through
 * checkpoints for an exact resume.
 */
export class AdaptExampleSampler implements Sampler<AdaptStepBatch> {
  readonly unit = 'examples';
  readonly dropLast = false;
  private readonly order: Int32Array;

  constructor(
    private readonly examples: AdaptExamples,
    private readonly nItems: number,
    private readonly negatives: number,
    private readonly rng: Rng,
  ) {
    this.order = Int32Array.from({ length: examples.targets.length }, (_, i) => i);
  }

  size(): number {
    return this.order.length;
  }

  *batches(_epochRng: Rng, batchSize: number): Iterable<{ batch: AdaptStepBatch; size: number }> {
    const { order, examples } = this;
    this.rng.shuffle(order);
    const nBatches = Math.ceil(order.length / batchSize);
    for (let b = 0; b < nBatches; b++) {
      const rows = order.slice(b * batchSize, Math.min(order.length, (b + 1) * batchSize));
      const negatives = this.rng.sampleWithoutReplacement(this.nItems, this.negatives);
      const cols = new Int32Array(rows.length + this.negatives);
      rows.forEach((r, i) => (cols[i] = examples.targets[r]));
      cols.set(negatives, rows.length);
      yield { batch: { rows, cols }, size: rows.length };
    }
  }

  state(): ExampleSamplerState {
    return { rng: captureRng(this.rng), order: Array.from(this.order) };
  }

  restore(state: unknown): void {
    const s = state as ExampleSamplerState;
    if (!Array.isArray(s?.order) || s.order.length !== this.order.length) {
      throw new LmrecError('E_CHECKPOINT', `the checkpoint's example order has ${s?.order?.length} entries, the training set ${this.order.length}`, { hint: 'the training examples changed: use another checkpointDir' });
    }
    restoreRng(this.rng, s.rng);
    this.order.set(s.order);
  }
}

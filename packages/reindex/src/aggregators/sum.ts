import { tf } from '@lmrec/core';
import { BaseAggregator, mask3 } from './base.js';

export interface SumAggregatorOptions {
  /** Token-embedding width d. */
  dim: number;
}

/** Masked sum of the title's token embeddings; no parameters. */
export class SumAggregator extends BaseAggregator {
  readonly name = 'sum';
  readonly dim: number;
  readonly inputDim: number;

  constructor(options: SumAggregatorOptions) {
    super();
    this.dim = options.dim;
    this.inputDim = options.dim;
  }

  apply(tokens: tf.Tensor3D, mask: tf.Tensor2D, _training: boolean): tf.Tensor2D {
    this.checkInput(tokens, mask);
    return tf.tidy(() => tf.sum(tf.mul(tokens, mask3(mask)), 1) as tf.Tensor2D);
  }
}

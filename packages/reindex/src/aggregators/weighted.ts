import { LmrecError, Rng, tf } from '@lmrec/core';
import { matMul } from '@lmrec/recsys';
import { BaseAggregator } from './base.js';
import { constantVariable, eyeVariable, uniformVariable } from './init.js';

export interface WeightedAggregatorOptions {
  /** Token-embedding width d. */
  dim: number;
  /** Output width (default d). */
  outDim?: number;
  /** Positions with a learned weight; longer titles are cut to this many tokens. Default 32. */
  maxLen?: number;
  /** "uniform" (U(+-1/sqrt(d)), PyTorch's Linear default) or "identity" (starts as a masked mean). */
  linearInit?: 'uniform' | 'identity';
  seed?: number;
}

/**
 * Learned softmax weight per token position (padding masked out), a weighted
 * sum of the token embeddings, then Linear(d -> outDim).
 */
export class WeightedAggregator extends BaseAggregator {
  readonly name = 'weighted';
  readonly dim: number;
  readonly inputDim: number;
  readonly maxLen: number;

  constructor(options: WeightedAggregatorOptions) {
    super();
    const d = options.dim;
    this.inputDim = d;
    this.dim = options.outDim ?? d;
    this.maxLen = options.maxLen ?? 32;
    if (!(this.maxLen >= 1)) throw new LmrecError('E_ARGUMENT', `weighted aggregator: maxLen must be >= 1, got ${this.maxLen}`);
    const rng = new Rng(options.seed ?? 0).fork('weighted');
    this.register('position_logits', (n) => constantVariable([this.maxLen], 0, n));
    const init = options.linearInit ?? 'uniform';
    if (init === 'identity') this.register('linear.weight', (n) => eyeVariable(d, this.dim, n));
    else this.register('linear.weight', (n) => uniformVariable(rng, [d, this.dim], 1 / Math.sqrt(d), n));
    this.register('linear.bias', (n) => (init === 'identity' ? constantVariable([this.dim], 0, n) : uniformVariable(rng, [this.dim], 1 / Math.sqrt(d), n)));
  }

  apply(tokens: tf.Tensor3D, mask: tf.Tensor2D, _training: boolean): tf.Tensor2D {
    this.checkInput(tokens, mask);
    return tf.tidy(() => {
      let x = tokens;
      let m = tf.cast(mask, 'float32') as tf.Tensor2D;
      const T = x.shape[1];
      if (T > this.maxLen) {
        x = tf.slice(x, [0, 0, 0], [-1, this.maxLen, -1]);
        m = tf.slice(m, [0, 0], [-1, this.maxLen]);
      }
      const t = x.shape[1];
      const logits = tf.slice(this.variable('position_logits'), [0], [t]);
      const masked = tf.where(tf.greater(m, 0), tf.mul(tf.onesLike(m), tf.expandDims(logits, 0)), tf.fill(m.shape, -1e9));
      // rows without a single valid token get weight 0 everywhere
      const weights = tf.mul(tf.softmax(masked, 1), m);
      const pooled = tf.sum(tf.mul(x, tf.expandDims(weights, 2)), 1) as tf.Tensor2D;
      return tf.add(matMul(pooled, this.variable('linear.weight')), this.variable('linear.bias')) as tf.Tensor2D;
    });
  }
}

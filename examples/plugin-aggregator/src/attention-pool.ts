import { LmrecError, Rng, tf, type Aggregator } from '@lmrec/core';

export interface AttentionPoolConfig {
  /** Width d of the token embeddings. */
  inputDim: number;
  /** Output width (a learned Linear(d, outDim)); default d, no projection. */
  outDim?: number;
  temperature?: number;
  seed?: number;
}

/**
 * Attention pooling: a learned query w scores every real token,
 * a_t = softmax_t(x_t . w / temperature) over the mask, and the item vector
 * is sum_t a_t x_t (times a learned Linear when outDim is given). Padding
 * gets no weight, so a padded batch gives each title what it gives alone.
 */
export class AttentionPool implements Aggregator {
  readonly name = 'attention-pool';
  readonly dim: number;
  readonly temperature: number;
  private readonly query: tf.Variable;
  private readonly projection?: tf.Variable;

  constructor(config: AttentionPoolConfig) {
    const { inputDim } = config;
    if (!(Number.isInteger(inputDim) && inputDim > 0)) throw new LmrecError('E_ARGUMENT', `attention-pool: inputDim must be a positive integer, got ${inputDim}`, { field: 'inputDim' });
    this.dim = config.outDim ?? inputDim;
    this.temperature = config.temperature ?? 1;
    // Weights come from lmrec's seeded Rng, never from tfjs' own RNG, so a seed reproduces them.
    const rng = new Rng(config.seed ?? 0);
    const normal = (n: number, std: number) => Float32Array.from({ length: n }, () => rng.normal() * std);
    this.query = tf.tidy(() => tf.variable(tf.tensor1d(normal(inputDim, 1 / Math.sqrt(inputDim))), true));
    if (config.outDim !== undefined) {
      const limit = Math.sqrt(6 / (inputDim + config.outDim));
      const w = Float32Array.from({ length: inputDim * config.outDim }, () => (2 * rng.float() - 1) * limit);
      this.projection = tf.tidy(() => tf.variable(tf.tensor2d(w, [inputDim, config.outDim!]), true));
    }
  }

  /** Attention weights [n, T] (0 on padding), for inspection and tests. */
  weights(tokens: tf.Tensor3D, mask: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const [n, T, d] = tokens.shape;
      const scores = tf.reshape(tf.matMul(tf.reshape(tokens, [n * T, d]), tf.reshape(this.query, [d, 1])), [n, T]);
      // -1e9 on padding: exp underflows to exactly 0, whatever the padding holds.
      const masked = tf.add(tf.div(scores, this.temperature), tf.mul(tf.sub(1, mask), -1e9));
      return tf.mul(tf.softmax(masked), mask) as tf.Tensor2D;
    });
  }

  apply(tokens: tf.Tensor3D, mask: tf.Tensor2D, _training: boolean): tf.Tensor2D {
    return tf.tidy(() => {
      // Zero the padding first: 0 * garbage stays finite, but 0 * Inf would not.
      const clean = tf.mul(tokens, tf.expandDims(mask, 2));
      const pooled = tf.sum(tf.mul(clean, tf.expandDims(this.weights(clean as tf.Tensor3D, mask), 2)), 1) as tf.Tensor2D;
      return this.projection ? tf.matMul(pooled, this.projection) : pooled;
    });
  }

  trainableVariables(): tf.Variable[] {
    return this.projection ? [this.query, this.projection] : [this.query];
  }

  state(): Record<string, tf.Tensor> {
    return this.projection ? { query: this.query, projection: this.projection } : { query: this.query };
  }

  loadState(state: Record<string, tf.Tensor>): void {
    for (const [key, variable] of Object.entries(this.state())) {
      const value = state[key];
      if (!value || value.shape.join() !== variable.shape.join()) {
        throw new LmrecError('E_STATE', `attention-pool: state "${key}" is missing or has shape [${value?.shape ?? ''}], expected [${variable.shape}]`, { field: key });
      }
      tf.tidy(() => (variable as tf.Variable).assign(value));
    }
  }

  dispose(): void {
    for (const variable of this.trainableVariables()) variable.dispose();
  }
}

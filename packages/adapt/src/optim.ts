import { tf } from '@lmrec/core';

export interface AdamWOptions {
  learningRate: number;
  /** Decoupled weight decay (torch.optim.AdamW's default is 0.01). */
  weightDecay?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Clip the global gradient norm to this value (off when undefined). */
  clipNorm?: number;
}

/**
 * AdamW (Loshchilov & Hutter): Adam plus weight decay applied to the
 * parameters directly (p -= lr * wd * p before the Adam step, like
 * torch.optim.AdamW), not through the gradient. tfjs has no AdamW.
 */
export class AdamW {
  private readonly adam: tf.AdamOptimizer;
  readonly learningRate: number;
  readonly weightDecay: number;
  readonly clipNorm: number | undefined;

  constructor(options: AdamWOptions) {
    this.learningRate = options.learningRate;
    this.weightDecay = options.weightDecay ?? 0.01;
    this.clipNorm = options.clipNorm;
    this.adam = tf.train.adam(options.learningRate, options.beta1 ?? 0.9, options.beta2 ?? 0.999, options.epsilon ?? 1e-8);
  }

  /** One step on `vars`; returns the loss value. `loss` runs under the gradient tape. */
  step(loss: () => tf.Scalar, vars: tf.Variable[]): number {
    const { value, grads } = tf.variableGrads(loss, vars);
    try {
      if (this.clipNorm !== undefined) clipGlobalNorm(grads, this.clipNorm);
      this.apply(grads, vars);
      return value.dataSync()[0];
    } finally {
      value.dispose();
      tf.dispose(Object.values(grads));
    }
  }

  /** Applies given gradients (keyed by variable name) to those of `vars` that have one; the caller owns `grads`. */
  apply(grads: Record<string, tf.Tensor>, vars: readonly tf.Variable[]): void {
    const mine: Record<string, tf.Tensor> = {};
    for (const v of vars) if (grads[v.name]) mine[v.name] = grads[v.name];
    if (Object.keys(mine).length === 0) return;
    if (this.weightDecay > 0) {
      const factor = 1 - this.learningRate * this.weightDecay;
      // assign inside tidy: the product is freed, the variable keeps its data
      for (const v of vars) if (mine[v.name]) tf.tidy(() => v.assign(tf.mul(v, factor)));
    }
    this.adam.applyGradients(mine as tf.NamedTensorMap as Record<string, tf.Variable>);
  }

  dispose(): void {
    this.adam.dispose();
  }
}

/** Scales every gradient in place so that their joint L2 norm is at most maxNorm. */
export function clipGlobalNorm(grads: Record<string, tf.Tensor>, maxNorm: number): number {
  const norm = tf.tidy(() => {
    const squares = Object.values(grads).map((g) => tf.sum(tf.square(g)));
    return squares.length ? Math.sqrt(tf.addN(squares).dataSync()[0]) : 0;
  });
  if (norm > maxNorm) {
    const scale = maxNorm / (norm + 1e-6);
    for (const key of Object.keys(grads)) {
      const old = grads[key];
      grads[key] = tf.mul(old, scale);
      old.dispose();
    }
  }
  return norm;
}

import { tf } from '@lmrec/core';

export interface AdamWOptions {
  lr?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** Decoupled weight decay (PyTorch AdamW semantics). Default 0. */
  weightDecay?: number;
}

/**
 * AdamW as PyTorch defines it (decoupled decay p -= lr * wd * p, then the
 * bias-corrected Adam step). tfjs has no AdamW; this keeps its moments in
 * tf variables (freed by `dispose`).
 */
export class AdamW {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  private t = 0;
  private readonly moments = new Map<string, { m: tf.Variable; v: tf.Variable }>();

  constructor(options: AdamWOptions = {}) {
    this.lr = options.lr ?? 1e-3;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0;
  }

  get steps(): number {
    return this.t;
  }

  /** One update of `vars` from `grads` keyed by variable name. */
  step(vars: readonly tf.Variable[], grads: Record<string, tf.Tensor>): void {
    this.t += 1;
    const c1 = 1 - this.beta1 ** this.t;
    const c2 = 1 - this.beta2 ** this.t;
    for (const p of vars) {
      const g = grads[p.name];
      if (!g) continue;
      let mom = this.moments.get(p.name);
      if (!mom) {
        mom = tf.tidy(() => ({ m: tf.variable(tf.zerosLike(p), false), v: tf.variable(tf.zerosLike(p), false) }));
        this.moments.set(p.name, mom);
      }
      const { m, v } = mom;
      tf.tidy(() => {
        const m1 = tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1));
        const v1 = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        m.assign(m1);
        v.assign(v1);
        let next = this.weightDecay > 0 ? tf.mul(p, 1 - this.lr * this.weightDecay) : (p as tf.Tensor);
        const update = tf.div(tf.div(m1, c1), tf.add(tf.sqrt(tf.div(v1, c2)), this.eps));
        next = tf.sub(next, tf.mul(update, this.lr));
        p.assign(next);
      });
    }
  }

  dispose(): void {
    for (const { m, v } of this.moments.values()) tf.dispose([m, v]);
    this.moments.clear();
  }
}

/**
 * Scales gradients so their global L2 norm is at most `maxNorm` (PyTorch
 * clip_grad_norm_: coefficient maxNorm / (norm + 1e-6), capped at 1).
 * Returns the new gradients (the inputs are disposed) and the norm before clipping.
 */
export function clipByGlobalNorm(grads: Record<string, tf.Tensor>, maxNorm: number): { grads: Record<string, tf.Tensor>; norm: number } {
  const list = Object.values(grads);
  if (list.length === 0) return { grads, norm: 0 };
  const norm = tf.tidy(() => Math.sqrt(tf.addN(list.map((g) => tf.sum(tf.square(g)))).dataSync()[0]));
  const coef = maxNorm / (norm + 1e-6);
  if (!(coef < 1)) return { grads, norm };
  const out: Record<string, tf.Tensor> = {};
  for (const [k, g] of Object.entries(grads)) {
    out[k] = tf.mul(g, coef);
    g.dispose();
  }
  return { grads: out, norm };
}

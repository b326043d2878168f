import { adamWasm } from '@lmrec/core';
import type { OptimizerName } from './types.js';

/** The scalars of one Adam / AdamW update of one variable. */
export interface AdamStep {
  name: OptimizerName;
  lr: number;
  weightDecay: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 - beta1^t and sqrt(1 - beta2^t). */
  bc1: number;
  bc2Sqrt: number;
  /** Gradient scale from clipping (1 = none). */
  scale: number;
}

/**
 * One torch.optim.Adam / AdamW update of one variable in a single pass over
 * plain arrays (p, m, v in place): g *= scale; adam: g += wd p; adamw:
 * p *= 1 - lr wd; m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 * p -= lr / bc1 * m / (sqrt(v) / bc2Sqrt + eps). The same steps as the
 * tfjs ops of `AdamOptimizer.apply`, one loop instead of a dozen whole-table
 * ops and their temporaries.
 */
export function adamUpdate(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, s: AdamStep): void {
  const l2 = s.name === 'adam' ? s.weightDecay : 0;
  const decay = s.name === 'adamw' && s.weightDecay > 0 ? 1 - s.lr * s.weightDecay : 1;
  const { beta1, beta2, epsilon, bc2Sqrt, scale } = s;
  const c1 = 1 - beta1;
  const c2 = 1 - beta2;
  const stepSize = s.lr / s.bc1;
  // big tables: core's SIMD kernel (float32 lanes, the tfjs ops' order), about 4x the loop below
  if (adamWasm(p, g, m, v, { scale, l2, decay, beta1, c1, beta2, c2, bc2Sqrt, epsilon, stepSize })) return;
  for (let i = 0; i < p.length; i++) {
    let gi = g[i] * scale;
    const pi = p[i];
    if (l2 > 0) gi += l2 * pi;
    // m and v are stored in float32 (as the tfjs state); the update reads the stored values
    m[i] = beta1 * m[i] + c1 * gi;
    v[i] = beta2 * v[i] + c2 * gi * gi;
    p[i] = Math.fround(pi * decay) - (stepSize * m[i]) / (Math.sqrt(v[i]) / bc2Sqrt + epsilon);
  }
}

/** sqrt(sum of squares) over every gradient, in float64. */
export function hostGlobalNorm(grads: readonly Float32Array[]): number {
  let s = 0;
  for (const g of grads) for (let i = 0; i < g.length; i++) s += g[i] * g[i];
  return Math.sqrt(s);
}

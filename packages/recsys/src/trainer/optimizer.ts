import { LmrecError, tf } from '@lmrec/core';
import type { OptimizerConfig, OptimizerName } from './types.js';

/**
 * Adam / AdamW with optional clipping by global norm, written out in tfjs ops
 * rather than using tf.train.adam: its state restore recomputes beta powers
 * with pow(), which breaks bit-identical resume, and it has no decoupled
 * weight decay. The update follows torch.optim.Adam / AdamW exactly.
 */
export class AdamOptimizer {
  readonly name: OptimizerName;
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  readonly clipNorm: number | undefined;
  /** Completed updates. */
  step = 0;
  /** Global gradient norm of the last update (before clipping). */
  lastGradNorm = 0;
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];

  constructor(
    private readonly variables: readonly tf.Variable[],
    config: OptimizerConfig = {},
  ) {
    this.name = config.name ?? 'adam';
    if (this.name !== 'adam' && this.name !== 'adamw') {
      throw new LmrecError('E_CONFIG', `unknown optimizer "${String(this.name)}"`, { field: 'optimizer.name', hint: 'adam or adamw' });
    }
    this.lr = config.lr ?? 1e-3;
    this.beta1 = config.beta1 ?? 0.9;
    this.beta2 = config.beta2 ?? 0.999;
    this.epsilon = config.epsilon ?? 1e-8;
    this.weightDecay = config.weightDecay ?? (this.name === 'adamw' ? 0.01 : 0);
    this.clipNorm = config.clipNorm;
    this.m = variables.map((v) => tf.variable(tf.zerosLike(v), false));
    this.v = variables.map((v) => tf.variable(tf.zerosLike(v), false));
  }

  /** One update; `grads[i]` belongs to `variables[i]` (undefined = no gradient). */
  apply(grads: readonly (tf.Tensor | undefined)[]): void {
    this.step++;
    const t = this.step;
    const bc1 = 1 - this.beta1 ** t;
    const bc2Sqrt = Math.sqrt(1 - this.beta2 ** t);
    tf.tidy(() => {
      let scale = 1;
      const present = grads.filter((g): g is tf.Tensor => g !== undefined);
      if (present.length) {
        const sq = present.map((g) => tf.sum(tf.square(g)));
        this.lastGradNorm = Math.sqrt((tf.addN(sq).dataSync() as Float32Array)[0]);
      }
      if (this.clipNorm !== undefined && this.lastGradNorm > this.clipNorm) scale = this.clipNorm / (this.lastGradNorm + 1e-6);
      this.variables.forEach((p, i) => {
        let g = grads[i];
        if (g === undefined) return;
        if (scale !== 1) g = tf.mul(g, scale);
        if (this.name === 'adam' && this.weightDecay > 0) g = tf.add(g, tf.mul(p, this.weightDecay));
        if (this.name === 'adamw' && this.weightDecay > 0) p.assign(tf.mul(p, 1 - this.lr * this.weightDecay));
        const m = this.m[i];
        const v = this.v[i];
        m.assign(tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1)));
        v.assign(tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2)));
        const denom = tf.add(tf.div(tf.sqrt(v), bc2Sqrt), this.epsilon);
        p.assign(tf.sub(p, tf.mul(tf.div(m, denom), this.lr / bc1)));
      });
    });
  }

  /** Moments and step, for checkpoints (tensors stay owned by the optimiser). */
  state(): { step: number; tensors: Record<string, tf.Tensor> } {
    const tensors: Record<string, tf.Tensor> = {};
    this.m.forEach((m, i) => (tensors[`m.${i}`] = m));
    this.v.forEach((v, i) => (tensors[`v.${i}`] = v));
    return { step: this.step, tensors };
  }

  loadState(step: number, tensors: Record<string, tf.Tensor>): void {
    this.m.forEach((m, i) => assignChecked(m, tensors[`m.${i}`], `m.${i}`));
    this.v.forEach((v, i) => assignChecked(v, tensors[`v.${i}`], `v.${i}`));
    this.step = step;
  }

  dispose(): void {
    for (const t of [...this.m, ...this.v]) t.dispose();
  }
}

function assignChecked(target: tf.Variable, value: tf.Tensor | undefined, name: string): void {
  if (!value || value.shape.join() !== target.shape.join()) {
    throw new LmrecError('E_CHECKPOINT', `optimizer state "${name}" is missing or has shape [${value?.shape ?? ''}], expected [${target.shape}]`);
  }
  target.assign(value);
}

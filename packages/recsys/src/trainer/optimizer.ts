import { LmrecError, tf } from '@lmrec/core';
import { adamUpdate, hostGlobalNorm } from './host-adam.js';
import { assignHost } from './host-values.js';
import type { OptimizerConfig, OptimizerName, ParameterGroup } from './types.js';

/** The one weight-decay default of 'adamw' (torch.optim.AdamW's); 'adam' defaults to no decay. */
export const ADAMW_WEIGHT_DECAY = 0.01;

/** Resolved settings of one variable. */
interface Slot {
  lr: number;
  weightDecay: number;
}

/**
 * Adam / AdamW with optional clipping by global norm, the one optimiser of
 * every lmrec training run. Written out in tfjs ops rather than using
 * tf.train.adam: its state restore recomputes beta powers with pow(), which
 * breaks bit-identical resume, and it has no decoupled weight decay. The
 * update follows torch.optim.Adam / AdamW: clip, then (adamw) p *= 1 - lr wd
 * or (adam) g += wd p, then the bias-corrected step. `applyHost` is the
 * same update in one loop per variable on host arrays (models whose loss and
 * gradient are computed on the host); the moments then live on the host and
 * move to the tfjs state only when `state()` or `apply` needs them.
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
  /** Global gradient norm of the last update before clipping (computed when clipping or `trackGradNorm`). */
  lastGradNorm = NaN;
  /** Compute `lastGradNorm` even without clipping (one device read per step). */
  trackGradNorm = false;
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];
  private readonly slots: Slot[];
  /** Host moments, current while defined (the tfjs m / v are then stale unless `deviceFresh`). */
  private host: { m: Float32Array; v: Float32Array }[] | undefined;
  private deviceFresh = true;

  constructor(
    private readonly variables: readonly tf.Variable[],
    config: OptimizerConfig = {},
    groups: readonly ParameterGroup[] = [],
  ) {
    const c = checkOptimizerConfig(config);
    this.name = c.name;
    this.lr = c.lr;
    this.beta1 = c.beta1;
    this.beta2 = c.beta2;
    this.epsilon = c.epsilon;
    this.weightDecay = c.weightDecay;
    this.clipNorm = c.clipNorm;
    this.slots = variables.map(() => ({ lr: this.lr, weightDecay: this.weightDecay }));
    groups.forEach((group, g) => {
      const lr = group.lr === undefined ? this.lr : checkNumber(group.lr, `parameterGroups[${g}].lr`, 0);
      const weightDecay = group.weightDecay === undefined ? this.weightDecay : checkNumber(group.weightDecay, `parameterGroups[${g}].weightDecay`, 0);
      for (const v of group.variables) {
        const i = variables.indexOf(v);
        if (i >= 0) this.slots[i] = { lr, weightDecay };
      }
    });
    this.m = tf.tidy(() => variables.map((v) => tf.variable(tf.zerosLike(v), false)));
    this.v = tf.tidy(() => variables.map((v) => tf.variable(tf.zerosLike(v), false)));
  }

  /** One update; `grads[i]` belongs to `variables[i]` (undefined = no gradient). */
  apply(grads: readonly (tf.Tensor | undefined)[]): void {
    this.pushHost();
    this.host = undefined;
    this.step++;
    const t = this.step;
    const bc1 = 1 - this.beta1 ** t;
    const bc2Sqrt = Math.sqrt(1 - this.beta2 ** t);
    tf.tidy(() => {
      const present = grads.filter((g): g is tf.Tensor => g !== undefined);
      const clip = this.clipNorm !== undefined && this.clipNorm > 0;
      if ((clip || this.trackGradNorm) && present.length) this.lastGradNorm = globalNorm(present);
      const scale = clip && this.lastGradNorm > this.clipNorm! ? this.clipNorm! / (this.lastGradNorm + 1e-6) : 1;
      this.variables.forEach((p, i) => {
        let g = grads[i];
        if (g === undefined) return;
        const { lr, weightDecay } = this.slots[i];
        if (scale !== 1) g = tf.mul(g, scale);
        if (this.name === 'adam' && weightDecay > 0) g = tf.add(g, tf.mul(p, weightDecay));
        if (this.name === 'adamw' && weightDecay > 0) p.assign(tf.mul(p, 1 - lr * weightDecay));
        const m = this.m[i];
        const v = this.v[i];
        m.assign(tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1)));
        v.assign(tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2)));
        const denom = tf.add(tf.div(tf.sqrt(v), bc2Sqrt), this.epsilon);
        p.assign(tf.sub(p, tf.mul(tf.div(m, denom), lr / bc1)));
      });
    });
  }

  /**
   * One update on the host: `params[i]` holds `variables[i]`'s values (the
   * `hostValues` mirror), updated in place and assigned to the variable;
   * `grads[i]` its gradient (undefined = none). The same steps as `apply`.
   */
  applyHost(params: readonly Float32Array[], grads: readonly (Float32Array | undefined)[]): void {
    const host = this.pullHost();
    this.step++;
    const present = grads.filter((g): g is Float32Array => g !== undefined);
    const clip = this.clipNorm !== undefined && this.clipNorm > 0;
    if ((clip || this.trackGradNorm) && present.length) this.lastGradNorm = hostGlobalNorm(present);
    const scale = clip && this.lastGradNorm > this.clipNorm! ? this.clipNorm! / (this.lastGradNorm + 1e-6) : 1;
    const bc1 = 1 - this.beta1 ** this.step;
    const bc2Sqrt = Math.sqrt(1 - this.beta2 ** this.step);
    const { name, beta1, beta2, epsilon } = this;
    this.variables.forEach((p, i) => {
      const g = grads[i];
      if (g === undefined) return;
      adamUpdate(params[i], g, host[i].m, host[i].v, { name, beta1, beta2, epsilon, bc1, bc2Sqrt, scale, ...this.slots[i] });
      assignHost(p, params[i]);
    });
    this.deviceFresh = false;
  }

  /** The host moments, read from the tfjs state when they are not current. */
  private pullHost(): { m: Float32Array; v: Float32Array }[] {
    this.host ??= this.m.map((m, i) => ({ m: Float32Array.from(m.dataSync() as Float32Array), v: Float32Array.from(this.v[i].dataSync() as Float32Array) }));
    return this.host;
  }

  /** Copies host moments newer than the tfjs state into it. */
  private pushHost(): void {
    if (!this.host || this.deviceFresh) return;
    this.host.forEach((h, i) => {
      tf.tidy(() => {
        this.m[i].assign(tf.tensor(h.m.slice(), this.m[i].shape));
        this.v[i].assign(tf.tensor(h.v.slice(), this.v[i].shape));
      });
    });
    this.deviceFresh = true;
  }

  /** Moments and step, for checkpoints (tensors stay owned by the optimiser). */
  state(): { step: number; tensors: Record<string, tf.Tensor> } {
    this.pushHost();
    const tensors: Record<string, tf.Tensor> = {};
    this.m.forEach((m, i) => (tensors[`m.${i}`] = m));
    this.v.forEach((v, i) => (tensors[`v.${i}`] = v));
    return { step: this.step, tensors };
  }

  loadState(step: number, tensors: Record<string, tf.Tensor>): void {
    this.host = undefined;
    this.deviceFresh = true;
    this.m.forEach((m, i) => assignChecked(m, tensors[`m.${i}`], `m.${i}`));
    this.v.forEach((v, i) => assignChecked(v, tensors[`v.${i}`], `v.${i}`));
    this.step = step;
  }

  dispose(): void {
    for (const t of [...this.m, ...this.v]) t.dispose();
  }
}

/** sqrt(sum of squares) over every gradient, read to the host. */
function globalNorm(grads: readonly tf.Tensor[]): number {
  return tf.tidy(() => Math.sqrt((tf.addN(grads.map((g) => tf.sum(tf.square(g)))).dataSync() as Float32Array)[0]));
}

/**
 * Scales gradients so their global L2 norm is at most `maxNorm` (torch's
 * clip_grad_norm_: factor maxNorm / (norm + 1e-6) when the norm exceeds it).
 * Returns new tensors (the caller disposes both) and the norm before clipping.
 */
export function clipByGlobalNorm(grads: Record<string, tf.Tensor>, maxNorm: number): { grads: Record<string, tf.Tensor>; norm: number } {
  const list = Object.values(grads);
  const norm = list.length ? globalNorm(list) : 0;
  const scale = norm > maxNorm ? maxNorm / (norm + 1e-6) : 1;
  return { grads: Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.mul(g, scale)])), norm };
}

/** The config with defaults filled in; a non-numeric or out-of-range value is a config error naming the field. */
export function checkOptimizerConfig(config: OptimizerConfig): Required<Omit<OptimizerConfig, 'clipNorm'>> & { clipNorm: number | undefined } {
  const name = config.name ?? 'adam';
  if (name !== 'adam' && name !== 'adamw') {
    throw new LmrecError('E_CONFIG', `unknown optimizer "${String(name)}"`, { field: 'optimizer', hint: 'adam or adamw' });
  }
  const beta = (value: number | undefined, field: string, fallback: number) => {
    const b = value === undefined ? fallback : checkNumber(value, field, 0);
    if (b >= 1) throw new LmrecError('E_CONFIG', `${field} must be in [0, 1), got ${b}`, { field });
    return b;
  };
  return {
    name,
    lr: config.lr === undefined ? 1e-3 : checkNumber(config.lr, 'lr', 0),
    beta1: beta(config.beta1, 'beta1', 0.9),
    beta2: beta(config.beta2, 'beta2', 0.999),
    epsilon: config.epsilon === undefined ? 1e-8 : checkNumber(config.epsilon, 'epsilon', 0),
    weightDecay: config.weightDecay === undefined ? (name === 'adamw' ? ADAMW_WEIGHT_DECAY : 0) : checkNumber(config.weightDecay, 'weightDecay', 0),
    clipNorm: config.clipNorm === undefined ? undefined : checkNumber(config.clipNorm, 'clipNorm', 0),
  };
}

function checkNumber(value: unknown, field: string, min: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new LmrecError('E_CONFIG', `${field} must be a finite number >= ${min}, got ${JSON.stringify(value) ?? String(value)}`, {
      field,
      hint: field === 'lr' ? 'e.g. lr: 0.001' : undefined,
    });
  }
  return value;
}

function assignChecked(target: tf.Variable, value: tf.Tensor | undefined, name: string): void {
  if (!value || value.shape.join() !== target.shape.join()) {
    throw new LmrecError('E_CHECKPOINT', `optimizer state "${name}" is missing or has shape [${value?.shape ?? ''}], expected [${target.shape}]`);
  }
  target.assign(value);
}

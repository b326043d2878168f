import { LmrecError, readTidy, readTidyRecord, tf, type Rng } from '@lmrec/core';
import { uniformFanIn, variableFrom } from './init.js';
import { inputRows, inputTimes, inputTransposeTimes, type PooledRows } from './pooled-input.js';

export type MappingKind = 'mlp' | 'linear';

export interface MappingConfig {
  kind: MappingKind;
  /** Input (language model) dimension. */
  inDim: number;
  /** Hidden width (MLP only). */
  hidden: number;
  /** Output dimension, 64 in the paper. */
  outDim: number;
  /** LeakyReLU slope, 0.01 (PyTorch's default). */
  slope: number;
}

/** Parameter gradients of one step, as plain arrays (same keys as `state()`). */
export type MappingGrads = Record<string, Float32Array>;

/**
 * The shared map from language space to the collaborative space:
 * `Linear(d, h) -> LeakyReLU -> Linear(h, out)` or `Linear(d, out, bias=False)`.
 * Weights are stored [in, out] so the forward pass is `X . W` and no matMul
 * ever needs a transposed operand (slow on wasm); the backward pass uses
 * explicit transposes for the same reason.
 */
export class Mapping {
  private readonly vars: Record<string, tf.Variable>;

  constructor(readonly config: MappingConfig, rng: Rng) {
    const { inDim, hidden, outDim, kind } = config;
    if (kind === 'linear') {
      this.vars = { w: variableFrom(uniformFanIn(rng, [inDim, outDim], inDim), [inDim, outDim]) };
    } else {
      this.vars = {
        w1: variableFrom(uniformFanIn(rng, [inDim, hidden], inDim), [inDim, hidden]),
        b1: variableFrom(uniformFanIn(rng, [hidden], inDim), [hidden]),
        w2: variableFrom(uniformFanIn(rng, [hidden, outDim], hidden), [hidden, outDim]),
        b2: variableFrom(uniformFanIn(rng, [outDim], hidden), [outDim]),
      };
    }
  }

  get names(): string[] {
    return Object.keys(this.vars);
  }

  variables(): tf.Variable[] {
    return Object.values(this.vars);
  }

  variable(name: string): tf.Variable {
    return this.vars[name];
  }

  state(): Record<string, tf.Tensor> {
    return { ...this.vars };
  }

  loadState(state: Record<string, tf.Tensor>): void {
    for (const [name, v] of Object.entries(this.vars)) {
      const t = state[name];
      if (!t) throw new LmrecError('E_STATE', `mapping state has no tensor "${name}"`, { field: name });
      if (t.shape.join('x') !== v.shape.join('x')) {
        throw new LmrecError('E_SHAPE', `mapping tensor "${name}" is [${t.shape}], expected [${v.shape}]`, { field: name });
      }
      v.assign(t);
    }
  }

  /** Forward pass as tfjs ops on the variables (differentiable by tfjs autodiff), for dense or pooled input rows. */
  apply(x: tf.Tensor2D | PooledRows): tf.Tensor2D {
    return tf.tidy(() => {
      if (this.config.kind === 'linear') return inputTimes(x, this.vars.w);
      const h = tf.add(inputTimes(x, this.vars.w1), this.vars.b1);
      const a = tf.leakyRelu(h, this.config.slope);
      return tf.add(tf.matMul(a, this.vars.w2), this.vars.b2) as tf.Tensor2D;
    });
  }

  /**
   * Forward pass that keeps what the hand-written backward needs, on the
   * pooled input rows (frozen, so callers build them once). Returns the
   * output rows and a closure giving parameter gradients for an output
   * gradient dY [n, out].
   */
  forwardWithBackward(x: PooledRows): { y: Float32Array; backward: (dy: Float32Array) => MappingGrads; dispose: () => void } {
    const n = inputRows(x);
    const { outDim, slope } = this.config;
    if (this.config.kind === 'linear') {
      const y = readTidy(() => inputTimes(x, this.vars.w));
      return {
        y,
        backward: (dy) => readTidyRecord(() => ({ w: inputTransposeTimes(x, tf.tensor2d(dy, [n, outDim])) })),
        dispose: () => undefined,
      };
    }
    // slope where h <= 0, else 1: LeakyReLU is h * mask, and its gradient is da * mask (one op, not where + greater + mul)
    const kept = tf.tidy(() => {
      const h = tf.add(inputTimes(x, this.vars.w1), this.vars.b1);
      const mask = tf.step(h, slope);
      const a = tf.mul(h, mask);
      const y = tf.add(tf.matMul(a, this.vars.w2), this.vars.b2);
      return { mask, a, y };
    });
    const y = kept.y.dataSync() as Float32Array;
    kept.y.dispose();
    const backward = (dy: Float32Array): MappingGrads =>
      readTidyRecord(() => {
        const g = tf.tensor2d(dy, [n, outDim]);
        const w2 = tf.matMul(tf.transpose(kept.a), g);
        const b2 = tf.sum(g, 0);
        const dh = tf.mul(tf.matMul(g, tf.transpose(this.vars.w2)), kept.mask) as tf.Tensor2D;
        const w1 = inputTransposeTimes(x, dh);
        const b1 = tf.sum(dh, 0);
        return { w1, b1, w2, b2 };
      });
    return {
      y,
      backward,
      dispose: () => {
        kept.mask.dispose();
        kept.a.dispose();
      },
    };
  }

  dispose(): void {
    for (const v of Object.values(this.vars)) v.dispose();
  }
}

/** Apply a mapping to rows given as a plain array [n, inDim] (inference; no graph). */
export function mapRows(mapping: Mapping, rows: Float32Array, n: number): Float32Array {
  return readTidy(() => mapping.apply(tf.tensor2d(rows, [n, mapping.config.inDim])));
}

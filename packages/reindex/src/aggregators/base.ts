import { LmrecError, tf, type Aggregator } from '@lmrec/core';
import { matMul } from '@lmrec/recsys';
import { uniqueName } from './init.js';

/**
 * Shared bookkeeping for the aggregators: named variables (stable names in
 * state(), unique tfjs names underneath), freezing, state round trip.
 */
export abstract class BaseAggregator implements Aggregator {
  abstract readonly name: string;
  abstract readonly dim: number;
  /** The token-embedding width this aggregator expects. */
  abstract readonly inputDim: number;
  protected readonly vars = new Map<string, tf.Variable>();
  private frozenFlag = false;

  protected register(key: string, create: (tfName: string) => tf.Variable): tf.Variable {
    const v = create(uniqueName(`${this.constructor.name}_${key}`));
    this.vars.set(key, v);
    return v;
  }

  protected variable(key: string): tf.Variable {
    return this.vars.get(key)!;
  }

  abstract apply(tokens: tf.Tensor3D, mask: tf.Tensor2D, training: boolean): tf.Tensor2D;

  /** Frozen aggregators report no trainable variables (RTA's "aggregator frozen" ablations). */
  get frozen(): boolean {
    return this.frozenFlag;
  }

  freeze(): void {
    this.setFrozen(true);
  }

  unfreeze(): void {
    this.setFrozen(false);
  }

  private setFrozen(flag: boolean): void {
    this.frozenFlag = flag;
    for (const v of this.vars.values()) v.trainable = !flag;
  }

  trainableVariables(): tf.Variable[] {
    return this.frozenFlag ? [] : [...this.vars.values()];
  }

  state(): Record<string, tf.Tensor> {
    const out: Record<string, tf.Tensor> = {};
    for (const [key, v] of this.vars) out[key] = v;
    return out;
  }

  loadState(state: Record<string, tf.Tensor>): void {
    for (const [key, v] of this.vars) {
      const t = state[key];
      if (!t) throw new LmrecError('E_STATE', `aggregator "${this.name}" state lacks "${key}"`, { field: key });
      if (t.shape.join(',') !== v.shape.join(',')) {
        throw new LmrecError('E_STATE', `aggregator "${this.name}": "${key}" has shape [${t.shape}], expected [${v.shape}]`, { field: key });
      }
      // assigning a variable to itself would free its own data first
      if (t !== v) v.assign(t as tf.Tensor);
    }
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }

  protected checkInput(tokens: tf.Tensor3D, mask: tf.Tensor2D): void {
    const [n, t, d] = tokens.shape;
    if (d !== this.inputDim) {
      throw new LmrecError('E_SHAPE', `aggregator "${this.name}" expects token width ${this.inputDim}, got ${d}`);
    }
    if (mask.shape[0] !== n || mask.shape[1] !== t) {
      throw new LmrecError('E_SHAPE', `aggregator "${this.name}": mask [${mask.shape}] does not match tokens [${n}, ${t}]`);
    }
  }
}

/** [n, T] mask -> [n, T, 1] float mask. */
export function mask3(mask: tf.Tensor2D): tf.Tensor3D {
  return tf.expandDims(tf.cast(mask, 'float32'), 2) as tf.Tensor3D;
}

/**
 * One-hot of the last valid position of each row ([n, T]): a valid position
 * with no valid position after it. Rows with no valid token select nothing.
 * (Built from cumsum, not tf.oneHot: oneHot with a float dtype returns zeros
 * on the wasm backend of tfjs 4.22.)
 */
export function lastValidOneHot(mask: tf.Tensor2D): tf.Tensor2D {
  const m = tf.cast(mask, 'float32') as tf.Tensor2D;
  const after = tf.cumsum(m, 1, true, true);
  return tf.mul(m, tf.cast(tf.equal(after, 0), 'float32')) as tf.Tensor2D;
}

/** x [n, T, h] at the positions of a one-hot [n, T] -> [n, h]. */
export function selectPositions(x: tf.Tensor3D, oneHot: tf.Tensor2D): tf.Tensor2D {
  return tf.sum(tf.mul(x, tf.expandDims(oneHot, 2)), 1) as tf.Tensor2D;
}

/**
 * [n, T, a] x [a, b] -> [n, T, b] with tfjs' own matMul gradient (transposed
 * operands). The trm aggregator's positions 'all' path keeps it: with its
 * 2048-wide feed-forward at every position, a reindex batch (1,256 titles)
 * through the explicit-transpose version failed inside the wasm backend
 * (RuntimeError: memory access out of bounds); cause not yet isolated. (The
 * 'read' path, 15x smaller tensors, uses explicit transposes without fault.)
 */
export function dense3Plain(x: tf.Tensor3D, w: tf.Tensor2D, b?: tf.Tensor1D): tf.Tensor3D {
  const [n, t, a] = x.shape;
  let y = tf.matMul(tf.reshape(x, [n * t, a]), w) as tf.Tensor2D;
  if (b) y = tf.add(y, b);
  return tf.reshape(y, [n, t, w.shape[1]]);
}

/** [n, T, a] x [a, b] -> [n, T, b]; the gradient multiplies by explicit transposes (fast on wasm). */
export function dense3(x: tf.Tensor3D, w: tf.Tensor2D, b?: tf.Tensor1D): tf.Tensor3D {
  const [n, t, a] = x.shape;
  let y = matMul(tf.reshape(x, [n * t, a]) as tf.Tensor2D, w);
  if (b) y = tf.add(y, b);
  return tf.reshape(y, [n, t, w.shape[1]]);
}

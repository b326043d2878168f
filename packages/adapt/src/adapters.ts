import { LmrecError, tf, type Module } from '@lmrec/core';
import { columnAffine } from './column-affine.js';

/** The three bias-term adjustments of RTA's adapt step. */
export type AdapterKind = 'b' | 'gW' | 'gW+b';

export const ADAPTER_KINDS: readonly AdapterKind[] = ['b', 'gW', 'gW+b'];

/**
 * A per-item adjustment of the reindexed LLM logits g = q . V^T. `apply`
 * takes g for a block of examples, [B, k], where column j is item
 * `items[j]` (all items 0..nItems-1 in order when `items` is omitted), and
 * returns adjusted logits of the same shape.
 */
export interface LogitAdapter extends Module {
  readonly kind: AdapterKind;
  readonly nItems: number;
  apply(g: tf.Tensor2D, items?: tf.Tensor1D | Int32Array): tf.Tensor2D;
  /**
   * When apply is (g + bias[c]) * scale[c] (either term optional): its
   * variables, so the adapt loop can fuse it with the loss.
   */
  terms?(): { bias?: tf.Variable; scale?: tf.Variable };
}

abstract class PerItemAdapter implements LogitAdapter {
  abstract readonly kind: AdapterKind;
  protected readonly vars = new Map<string, tf.Variable>();

  constructor(readonly nItems: number) {
    if (!(Number.isInteger(nItems) && nItems > 0)) {
      throw new LmrecError('E_ARGUMENT', `an adapter needs a positive integer item count, got ${nItems}`);
    }
  }

  protected add(key: string, init: number): tf.Variable {
    const v = tf.variable(tf.fill([this.nItems], init), true);
    this.vars.set(key, v);
    return v;
  }

  /** (g + bias[items]) * scale[items], either term optional. */
  protected affine(g: tf.Tensor2D, items: tf.Tensor1D | Int32Array | undefined, bias?: tf.Variable, scale?: tf.Variable): tf.Tensor2D {
    this.check(g, items);
    const cols = items === undefined ? undefined : items instanceof Int32Array ? items : (items.dataSync() as Int32Array);
    return columnAffine(g, cols, bias, scale);
  }

  protected check(g: tf.Tensor2D, items: tf.Tensor1D | Int32Array | undefined): void {
    const k = items ? (items instanceof Int32Array ? items.length : items.shape[0]) : this.nItems;
    if (g.rank !== 2 || g.shape[1] !== k) {
      throw new LmrecError('E_SHAPE', `${this.kind} adapter: logits of shape [${g.shape}] do not match ${k} item columns`);
    }
  }

  abstract apply(g: tf.Tensor2D, items?: tf.Tensor1D | Int32Array): tf.Tensor2D;

  terms(): { bias?: tf.Variable; scale?: tf.Variable } {
    return { bias: this.vars.get('bias'), scale: this.vars.get('scale') };
  }

  trainableVariables(): tf.Variable[] {
    return [...this.vars.values()];
  }

  state(): Record<string, tf.Tensor> {
    return Object.fromEntries(this.vars);
  }

  loadState(state: Record<string, tf.Tensor>): void {
    for (const [key, v] of this.vars) {
      const t = state[key];
      if (!t) throw new LmrecError('E_STATE', `${this.kind} adapter state lacks "${key}"`, { field: key });
      if (t.size !== this.nItems) {
        throw new LmrecError('E_SHAPE', `${this.kind} adapter state "${key}" has ${t.size} values for ${this.nItems} items`, { field: key });
      }
      tf.tidy(() => v.assign(t.reshape([this.nItems]).toFloat()));
    }
  }

  /** Current values of a parameter, for inspection and reports. */
  values(key: string): Float32Array {
    const v = this.vars.get(key);
    if (!v) throw new LmrecError('E_ARGUMENT', `${this.kind} adapter has no parameter "${key}"`);
    return v.dataSync() as Float32Array;
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}

/** `b`: softmax(g + b), per-item bias initialised at 0. */
export class BiasAdapter extends PerItemAdapter {
  readonly kind = 'b' as const;
  readonly bias: tf.Variable;

  constructor(nItems: number) {
    super(nItems);
    this.bias = this.add('bias', 0);
  }

  apply(g: tf.Tensor2D, items?: tf.Tensor1D | Int32Array): tf.Tensor2D {
    return this.affine(g, items, this.bias);
  }
}

/** `gW`: softmax(g * m), a diagonal W (per-item scale m) initialised at 1. */
export class ScaleAdapter extends PerItemAdapter {
  readonly kind = 'gW' as const;
  readonly scale: tf.Variable;

  constructor(nItems: number) {
    super(nItems);
    this.scale = this.add('scale', 1);
  }

  apply(g: tf.Tensor2D, items?: tf.Tensor1D | Int32Array): tf.Tensor2D {
    return this.affine(g, items, undefined, this.scale);
  }
}

/** `gW+b`: softmax((g + b) * m), the reference code's form (b = 0, m = 1 at start). */
export class ScaleBiasAdapter extends PerItemAdapter {
  readonly kind = 'gW+b' as const;
  readonly bias: tf.Variable;
  readonly scale: tf.Variable;

  constructor(nItems: number) {
    super(nItems);
    this.bias = this.add('bias', 0);
    this.scale = this.add('scale', 1);
  }

  apply(g: tf.Tensor2D, items?: tf.Tensor1D | Int32Array): tf.Tensor2D {
    return this.affine(g, items, this.bias, this.scale);
  }
}

/** The adapter of a given kind. */
export function createAdapter(kind: AdapterKind, nItems: number): LogitAdapter {
  switch (kind) {
    case 'b':
      return new BiasAdapter(nItems);
    case 'gW':
      return new ScaleAdapter(nItems);
    case 'gW+b':
      return new ScaleBiasAdapter(nItems);
    default:
      throw new LmrecError('E_ARGUMENT', `unknown adapter kind "${String(kind)}"`, { hint: `one of ${ADAPTER_KINDS.join(', ')}` });
  }
}

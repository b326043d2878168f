import { LmrecError, tf, type Rng } from '@lmrec/core';
import { hostValues, matMul, swapLast, type HostStep } from '@lmrec/recsys';
import type { LogitAdapter } from './adapters.js';
import { affineLossGrads, type FrozenLogitTable, type FusedBatch } from './fused-loss.js';
import type { ItemIndex } from './item-index.js';

/** What one mini-batch gives a model: context vectors q and item histories. */
export interface AdaptBatch {
  /** q per example [B, dim]; absent for models that do not use the LLM. */
  queries?: tf.Tensor2D;
  histories: readonly Int32Array[];
  /** The LLM logits g over the requested item columns, when precomputed (a frozen index, see FrozenLlmLogits). */
  llm?: tf.Tensor2D;
}

/**
 * Anything the adapt loop trains and the CRS evaluator scores: logits over
 * item columns `items` ([B, items.length]) or over the whole catalogue.
 */
export interface AdaptModel {
  readonly name: string;
  readonly nItems: number;
  /** True when the model reads `batch.queries`. */
  readonly usesQueries: boolean;
  trainableVariables(): tf.Variable[];
  logits(batch: AdaptBatch, items: Int32Array | undefined, training: boolean): tf.Tensor2D;
  /** Tensors to restore the best epoch (keyed by a stable name). */
  state(): Record<string, tf.Tensor>;
  loadState(state: Record<string, tf.Tensor>): void;
  /** Extra numbers for logs and reports (e.g. the gate value). */
  describe?(): Record<string, number>;
  /** The subset of trainableVariables() that belongs to the item index (a trainable aggregator). */
  indexVariables?(): tf.Variable[];
  /** Random streams its parts draw from by themselves (dropout), saved with training checkpoints. */
  randomStreams?(): Record<string, Rng>;
  /**
   * RTA's sampled-softmax loss of a batch when the LLM logits g are frozen,
   * computed without the [B, B + N] logits; the same value and gradients as
   * sampledSoftmaxLoss(logits(...)). Optional: undefined (or no method)
   * makes the loop use logits().
   */
  frozenLoss?(table: FrozenLogitTable, batch: FusedBatch & { histories: readonly Int32Array[] }, training: boolean): tf.Scalar | undefined;
  /**
   * The same loss with its gradients on host arrays, aligned with
   * trainableVariables() (the shared Trainer's host step: no tape, no tfjs
   * ops). Optional, as frozenLoss; preferred over it when both give one.
   */
  frozenHostStep?(table: FrozenLogitTable, batch: FusedBatch): HostStep | undefined;
}

/** The random streams of a model's parts, keys prefixed by the part. */
export function streamsOf(parts: Record<string, { randomStreams?(): Record<string, Rng> } | undefined>): Record<string, Rng> {
  const out: Record<string, Rng> = {};
  for (const [prefix, part] of Object.entries(parts)) for (const [k, rng] of Object.entries(part?.randomStreams?.() ?? {})) out[`${prefix}.${k}`] = rng;
  return out;
}

/** g = q . V^T over the requested columns. */
export function llmLogits(index: ItemIndex, queries: tf.Tensor2D | undefined, items: Int32Array | undefined, training: boolean): tf.Tensor2D {
  if (!queries) throw new LmrecError('E_ARGUMENT', 'this model needs context vectors q (batch.queries)');
  if (queries.shape[1] !== index.dim) {
    throw new LmrecError('E_SHAPE', `context vectors have dim ${queries.shape[1]}, the item index ${index.dim}`);
  }
  return tf.tidy(() => {
    // Fixed full-catalogue scoring uses the cached [dim, n] layout: no transposed matmul.
    if (!items && !(training && index.trainableVariables().length > 0)) return tf.matMul(queries, index.itemsT());
    // explicit transpose: wasm multiplies by a transposed operand ~9x slower
    return matMul(queries, swapLast(index.vectors(items, training)));
  });
}

export function variableState(vars: readonly tf.Variable[], prefix: string): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  vars.forEach((v, i) => (out[`${prefix}.${i}`] = v));
  return out;
}

/** Restores an index's variables and drops its cached item matrix, which they invalidate. */
export function loadIndexState(index: ItemIndex, state: Record<string, tf.Tensor>): void {
  index.trainableVariables().forEach((v, i) => {
    const t = state[`index.${i}`];
    if (!t) throw new LmrecError('E_STATE', `state lacks "index.${i}"`);
    v.assign(t);
  });
  index.invalidate?.();
}

/** The (reindexed or zero-shot) LLM alone: logits g. Trains only the index's variables, if any. */
export class LlmModel implements AdaptModel {
  readonly usesQueries = true;
  constructor(
    readonly index: ItemIndex,
    readonly name = 'llm',
  ) {}

  get nItems(): number {
    return this.index.nItems;
  }

  trainableVariables(): tf.Variable[] {
    return this.index.trainableVariables();
  }

  logits(batch: AdaptBatch, items: Int32Array | undefined, training: boolean): tf.Tensor2D {
    return llmLogits(this.index, batch.queries, items, training);
  }

  indexVariables(): tf.Variable[] {
    return this.index.trainableVariables();
  }

  state(): Record<string, tf.Tensor> {
    return variableState(this.index.trainableVariables(), 'index');
  }

  loadState(state: Record<string, tf.Tensor>): void {
    loadIndexState(this.index, state);
  }

  randomStreams(): Record<string, Rng> {
    return streamsOf({ index: this.index });
  }
}

/** +Bias: adapter(g). With a trainable index the aggregator trains too. */
export class BiasAdaptedModel implements AdaptModel {
  readonly usesQueries = true;
  constructor(
    readonly index: ItemIndex,
    readonly adapter: LogitAdapter,
    readonly name = `+bias ${adapter.kind}`,
  ) {
    if (adapter.nItems !== index.nItems) {
      throw new LmrecError('E_SHAPE', `adapter covers ${adapter.nItems} items, the index ${index.nItems}`);
    }
  }

  get nItems(): number {
    return this.index.nItems;
  }

  trainableVariables(): tf.Variable[] {
    return [...this.adapter.trainableVariables(), ...this.index.trainableVariables()];
  }

  logits(batch: AdaptBatch, items: Int32Array | undefined, training: boolean): tf.Tensor2D {
    return tf.tidy(() => this.adapter.apply(batch.llm ?? llmLogits(this.index, batch.queries, items, training), items));
  }

  indexVariables(): tf.Variable[] {
    return this.index.trainableVariables();
  }

  frozenHostStep(table: FrozenLogitTable, batch: FusedBatch): HostStep | undefined {
    const terms = this.adapter.terms?.();
    if (!terms || this.index.trainableVariables().length > 0) return undefined;
    const { bias, scale } = terms;
    const vars = this.trainableVariables();
    const { loss, db, dm } = affineLossGrads(table, batch, bias && hostValues(bias), scale && hostValues(scale));
    return { loss, params: vars.map(hostValues), grads: vars.map((v) => (v === bias ? db : v === scale ? dm : undefined)) };
  }

  state(): Record<string, tf.Tensor> {
    const out: Record<string, tf.Tensor> = {};
    for (const [k, v] of Object.entries(this.adapter.state())) out[`adapter.${k}`] = v;
    return { ...out, ...variableState(this.index.trainableVariables(), 'index') };
  }

  loadState(state: Record<string, tf.Tensor>): void {
    const inner: Record<string, tf.Tensor> = {};
    for (const [k, v] of Object.entries(state)) if (k.startsWith('adapter.')) inner[k.slice(8)] = v;
    this.adapter.loadState(inner);
    loadIndexState(this.index, state);
  }

  randomStreams(): Record<string, Rng> {
    return streamsOf({ index: this.index });
  }
}

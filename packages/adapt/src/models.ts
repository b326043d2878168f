import { gatherDiff, LmrecError, tf, type GatingRecommender, type Rng } from '@lmrec/core';
import { matMul, swapLast } from '@lmrec/recsys';
import type { LogitAdapter } from './adapters.js';
import { fusedAffineLoss, fusedGatedLoss, type FrozenLogitTable, type FusedBatch } from './fused-loss.js';
import type { RecSysGate } from './gate.js';
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
}

/** The random streams of a model's parts, keys prefixed by the part. */
function streamsOf(parts: Record<string, { randomStreams?(): Record<string, Rng> } | undefined>): Record<string, Rng> {
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

function variableState(vars: readonly tf.Variable[], prefix: string): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  vars.forEach((v, i) => (out[`${prefix}.${i}`] = v));
  return out;
}

/** Restores an index's variables and drops its cached item matrix, which they invalidate. */
function loadIndexState(index: ItemIndex, state: Record<string, tf.Tensor>): void {
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

  frozenLoss(table: FrozenLogitTable, batch: FusedBatch): tf.Scalar | undefined {
    const terms = this.adapter.terms?.();
    return terms && fusedAffineLoss(table, batch, terms.bias, terms.scale);
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

/** +RecSys: s * g + (1 - s) * h, the gate and its recommender trained jointly. */
export class GatedModel implements AdaptModel {
  readonly usesQueries = true;
  constructor(
    readonly index: ItemIndex,
    readonly gate: RecSysGate,
    readonly name = `+recsys ${gate.recommender.name}`,
  ) {
    if (gate.nItems !== index.nItems) {
      throw new LmrecError('E_SHAPE', `gating recommender covers ${gate.nItems} items, the index ${index.nItems}`);
    }
  }

  get nItems(): number {
    return this.index.nItems;
  }

  trainableVariables(): tf.Variable[] {
    return [...this.gate.trainableVariables(), ...this.index.trainableVariables()];
  }

  logits(batch: AdaptBatch, items: Int32Array | undefined, training: boolean): tf.Tensor2D {
    return tf.tidy(() => this.gate.apply(batch.llm ?? llmLogits(this.index, batch.queries, items, training), batch.histories, items, training));
  }

  indexVariables(): tf.Variable[] {
    return this.index.trainableVariables();
  }

  frozenLoss(table: FrozenLogitTable, batch: FusedBatch & { histories: readonly Int32Array[] }, training: boolean): tf.Scalar {
    return fusedGatedLoss(table, batch, this.gate.recommenderLogits(batch.histories, batch.cols, training), this.gate.logit);
  }

  state(): Record<string, tf.Tensor> {
    return { ...this.gate.state(), ...variableState(this.index.trainableVariables(), 'index') };
  }

  loadState(state: Record<string, tf.Tensor>): void {
    this.gate.loadState(state);
    loadIndexState(this.index, state);
  }

  describe(): Record<string, number> {
    return { gate: this.gate.gateValue() };
  }

  randomStreams(): Record<string, Rng> {
    return streamsOf({ recsys: this.gate.recommender, index: this.index });
  }
}

/** A collaborative model alone over the item history (FISM alone, SASRec alone). */
export class RecommenderModel implements AdaptModel {
  readonly usesQueries = false;
  constructor(
    readonly recommender: GatingRecommender,
    readonly name = recommender.name,
  ) {}

  get nItems(): number {
    return this.recommender.nItems;
  }

  trainableVariables(): tf.Variable[] {
    return this.recommender.trainableVariables();
  }

  logits(batch: AdaptBatch, items: Int32Array | undefined, training: boolean): tf.Tensor2D {
    return tf.tidy(() => {
      const h = this.recommender.logits(batch.histories, training);
      return items ? gatherDiff(h, items, 1) : h;
    });
  }

  state(): Record<string, tf.Tensor> {
    return this.recommender.state();
  }

  loadState(state: Record<string, tf.Tensor>): void {
    this.recommender.loadState(state);
  }

  randomStreams(): Record<string, Rng> {
    return streamsOf({ recsys: this.recommender });
  }
}

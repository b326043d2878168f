import { gatherDiff, LmrecError, tf, type GatingRecommender, type Rng } from '@lmrec/core';
import { fusedGatedLoss, type FrozenLogitTable, type FusedBatch } from './fused-loss.js';
import type { RecSysGate } from './gate.js';
import type { ItemIndex } from './item-index.js';
import { llmLogits, loadIndexState, streamsOf, variableState, type AdaptBatch, type AdaptModel } from './models.js';

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

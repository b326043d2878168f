import { LmrecError, normalizedAdjacency, readTidy, tf, type CfSplit, type Csr, type Rng } from '@lmrec/core';
import { propagate, propagateBackward } from '@lmrec/recsys';
import { infoNce, type ContrastiveBatch, type LossKernel } from './infonce.js';
import { Mapping, type MappingKind } from './mapping.js';
import { AlphaRecSampler } from './sampler.js';
import { CosineScorer } from './scorer.js';
import { disposeInput, pooledRows, type PooledRows } from './pooled-input.js';
import type { ItemEmbeddings } from './user-vectors.js';

export interface AlphaRecNetConfig {
  mapping: MappingKind;
  /** Hidden width of the MLP (ignored by the linear mapping). */
  hidden: number;
  outDim: number;
  slope: number;
  /** Graph convolution layers L (0 = no graph). */
  layers: number;
  tau: number;
  negatives: number;
  lossKernel: LossKernel;
  /** Per-user negative item range (multi-domain training). */
  itemRange?: (user: number) => readonly [number, number];
}

/** Final (layer-mean) embeddings, row-major; `layers[l]` holds every node's layer-l rows when asked for. */
export interface FinalEmbeddings {
  users: Float32Array;
  items: Float32Array;
  layers?: Float32Array[];
}

/**
 * The trainable part of AlphaRec, in the shape of the recsys Trainer's
 * TrainableModel: frozen language vectors X = [z_users; z_items] -> shared
 * mapping -> LightGCN layer mean -> cosine InfoNCE. The MLP and the
 * propagation run over every node at every step, as in the paper.
 *
 * The gradient is written by hand (mapping backward with explicit
 * transposes, propagation backward with A^T, InfoNCE on plain arrays) and
 * handed to tfjs through `tf.customGrad`, so `tf.variableGrads` and any
 * tfjs optimiser see an ordinary differentiable loss.
 */
export class AlphaRecNet {
  readonly name: string;
  mapping: Mapping | undefined;
  /** X = [users' mean item vectors; item vectors], kept as its parts (see PooledRows). */
  private x: PooledRows | undefined;
  adj: Csr | undefined;
  nUsers = 0;
  nItems = 0;

  constructor(
    readonly items: ItemEmbeddings,
    readonly config: AlphaRecNetConfig,
    name = 'alpharec',
  ) {
    this.name = name;
  }

  /** Graph and inputs for this split; weights from `rng` unless a mapping is already there (fine-tune / resume). */
  init(split: CfSplit, rng: Rng): void {
    if (split.nItems * this.items.dim !== this.items.data.length) {
      throw new LmrecError('E_SHAPE', `the split has ${split.nItems} items but the embeddings hold ${this.items.data.length / this.items.dim}`);
    }
    this.attach(split.train);
    if (!this.mapping) {
      const { mapping, hidden, outDim, slope } = this.config;
      this.mapping = new Mapping({ kind: mapping, inDim: this.items.dim, hidden, outDim, slope }, rng);
    }
  }

  /** Build the inputs and the graph for a train matrix (also used at inference and zero-shot). */
  attach(train: Csr): void {
    disposeInput(this.x);
    this.nUsers = train.nRows;
    this.nItems = train.nCols;
    this.x = pooledRows(train, this.items);
    this.adj = this.config.layers > 0 ? normalizedAdjacency(train) : undefined;
  }

  trainableVariables(): tf.Variable[] {
    return this.requireMapping().variables();
  }

  /** The frozen language vectors the loss reads (checked for NaN / Inf before training). */
  inputs(): Record<string, { data: Float32Array; rowLength: number }> {
    return { 'item embeddings': { data: this.items.data, rowLength: this.items.dim } };
  }

  sampler(split: CfSplit): AlphaRecSampler {
    return new AlphaRecSampler(split.train, { negatives: this.config.negatives, dropLast: true, itemRange: this.config.itemRange });
  }

  /** Loss and its exact gradient w.r.t. the mapping's variables (see class comment). */
  loss(batch: ContrastiveBatch): tf.Scalar {
    const mapping = this.requireMapping();
    const vars = mapping.variables();
    const names = mapping.names;
    const op = tf.customGrad((...args: unknown[]) => {
      void args;
      const { value, grads } = this.lossAndGrads(batch);
      return {
        value: tf.scalar(value),
        gradFunc: (dy: tf.Tensor | tf.Tensor[]) => {
          const g = Array.isArray(dy) ? dy[0] : dy;
          return names.map((name, i) => tf.mul(g, tf.tensor(grads[name], vars[i].shape)));
        },
      };
    });
    return op(...vars) as tf.Scalar;
  }

  /** Forward + hand-written backward on plain arrays. */
  lossAndGrads(batch: ContrastiveBatch): { value: number; grads: Record<string, Float32Array> } {
    const mapping = this.requireMapping();
    const { outDim, layers, tau, lossKernel } = this.config;
    const fb = mapping.forwardWithBackward(this.x!);
    try {
      const e = this.adj ? propagate(this.adj, fb.y, outDim, layers) : fb.y;
      const split = this.nUsers * outDim;
      const r = infoNce(e.subarray(0, split), e.subarray(split), outDim, batch, tau, lossKernel);
      const dE = new Float32Array(e.length);
      dE.set(r.dUsers, 0);
      dE.set(r.dItems, split);
      const dE0 = this.adj ? propagateBackward(this.adj, dE, outDim, layers) : dE;
      return { value: r.loss, grads: fb.backward(dE0) };
    } finally {
      fb.dispose();
    }
  }

  /** Layer-0 rows for every node [nUsers + nItems, outDim]. */
  layer0(): Float32Array {
    const mapping = this.requireMapping();
    return readTidy(() => mapping.apply(this.x!));
  }

  finalEmbeddings(keepLayers = false): FinalEmbeddings {
    const e0 = this.layer0();
    const layers: Float32Array[] | undefined = keepLayers ? [] : undefined;
    const e = this.adj ? propagate(this.adj, e0, this.config.outDim, this.config.layers, layers) : e0;
    if (layers && !this.adj) layers.push(e0);
    const split = this.nUsers * this.config.outDim;
    return { users: e.slice(0, split), items: e.slice(split), layers };
  }

  scorer(): CosineScorer {
    const { users, items } = this.finalEmbeddings();
    return new CosineScorer(users, items, this.config.outDim);
  }

  state(): Record<string, tf.Tensor> {
    return this.requireMapping().state();
  }

  loadState(state: Record<string, tf.Tensor>): void {
    this.requireMapping().loadState(state);
  }

  requireMapping(): Mapping {
    if (!this.mapping) throw new LmrecError('E_STATE', `${this.name} has no weights yet`, { hint: 'call fit() or load() first' });
    return this.mapping;
  }

  dispose(): void {
    disposeInput(this.x);
    this.x = undefined;
    this.mapping?.dispose();
    this.mapping = undefined;
  }
}

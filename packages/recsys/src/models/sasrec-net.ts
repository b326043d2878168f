import { batchMatMul, gatherDiff, LmrecError, Rng, tf, type GatingRecommender } from '@lmrec/core';
import { constantVariable, xavierVariable } from '../nn/init.js';
import { dense, dropout, layerNorm, matMul } from '../nn/ops.js';
import { assignState } from './fism.js';
import { checkHistory, lastN } from './history.js';

export interface SasRecNetOptions {
  nItems: number;
  /** Default 64. */
  dim?: number;
  /** Default 2. */
  heads?: number;
  /** Self-attention blocks. Default 2. */
  layers?: number;
  /** Default 0.1. */
  dropout?: number;
  /** Longest history read (the most recent items). Default 50. */
  maxLen?: number;
  /** Seed for initial weights and dropout (when no rng is passed). Default 2024. */
  seed?: number;
}

type Weights = Record<string, tf.Variable>;

/**
 * SASRec (Kang & McAuley 2018) as RTA's gate uses it: item + learned
 * positional embeddings, `layers` pre-norm blocks of causal multi-head
 * self-attention and a point-wise feed-forward net with dropout, final layer
 * norm; logits = hidden state at the last position . tied item embeddings +
 * b_j. Histories are left-padded, pad positions masked. Dropout draws from a
 * seeded Rng (`dropoutRng`), so training is reproducible.
 */
export class SasRecNet implements GatingRecommender {
  readonly name = 'sasrec';
  readonly nItems: number;
  readonly dim: number;
  readonly heads: number;
  readonly layers: number;
  readonly rate: number;
  readonly maxLen: number;
  /** Stream for dropout masks in `logits(..., true)`; replace it per epoch for resumable runs. */
  dropoutRng: Rng;
  private readonly w: Weights;

  constructor(options: SasRecNetOptions, rng?: Rng) {
    this.nItems = options.nItems;
    this.dim = options.dim ?? 64;
    this.heads = options.heads ?? 2;
    this.layers = options.layers ?? 2;
    this.rate = options.dropout ?? 0.1;
    this.maxLen = options.maxLen ?? 50;
    if (this.dim % this.heads !== 0) throw new LmrecError('E_CONFIG', `dim ${this.dim} is not divisible by heads ${this.heads}`, { field: 'heads' });
    const r = rng ?? new Rng(options.seed ?? 2024);
    this.dropoutRng = r.fork('dropout');
    const d = this.dim;
    const w: Weights = {
      'item.embedding': xavierVariable(r.fork('item'), [this.nItems + 1, d]),
      'position.embedding': xavierVariable(r.fork('pos'), [this.maxLen, d]),
    };
    for (let l = 0; l < this.layers; l++) {
      const p = `layers.${l}.`;
      w[`${p}attn_norm.gamma`] = constantVariable([d], 1);
      w[`${p}attn_norm.beta`] = constantVariable([d], 0);
      for (const m of ['q', 'k', 'v', 'o']) {
        w[`${p}attn.w${m}`] = xavierVariable(r.fork(`${p}${m}`), [d, d]);
        w[`${p}attn.b${m}`] = constantVariable([d], 0);
      }
      w[`${p}ffn_norm.gamma`] = constantVariable([d], 1);
      w[`${p}ffn_norm.beta`] = constantVariable([d], 0);
      w[`${p}ffn.w1`] = xavierVariable(r.fork(`${p}ffn1`), [d, d]);
      w[`${p}ffn.b1`] = constantVariable([d], 0);
      w[`${p}ffn.w2`] = xavierVariable(r.fork(`${p}ffn2`), [d, d]);
      w[`${p}ffn.b2`] = constantVariable([d], 0);
    }
    w['final_norm.gamma'] = constantVariable([d], 1);
    w['final_norm.beta'] = constantVariable([d], 0);
    w['item.bias'] = constantVariable([this.nItems], 0);
    this.w = w;
  }

  /** Left-padded id matrix [B, L] (pad = nItems) and its 0/1 mask. */
  private pad(histories: readonly ArrayLike<number>[]): { ids: Int32Array; mask: Float32Array } {
    const L = this.maxLen;
    const ids = new Int32Array(histories.length * L).fill(this.nItems);
    const mask = new Float32Array(histories.length * L);
    histories.forEach((h, r) => {
      checkHistory(h, this.nItems);
      const items = lastN(h, L);
      const off = r * L + L - items.length;
      ids.set(items, off);
      mask.fill(1, off, r * L + L);
    });
    return { ids, mask };
  }

  /** Hidden states [B, L, d] after the final norm. */
  hidden(histories: readonly ArrayLike<number>[], training: boolean): tf.Tensor3D {
    const B = histories.length;
    const L = this.maxLen;
    const d = this.dim;
    const h = this.heads;
    const dh = d / h;
    const rng = training ? this.dropoutRng : undefined;
    const w = this.w;
    const { ids, mask } = this.pad(histories);
    const keep = tf.tensor3d(mask, [B, L, 1]);
    // additive attention bias: -1e9 on future keys and on padded keys
    const bias = new Float32Array(B * L * L);
    for (let b = 0; b < B; b++) {
      for (let i = 0; i < L; i++) {
        for (let j = 0; j < L; j++) if (j > i || mask[b * L + j] === 0) bias[(b * L + i) * L + j] = -1e9;
      }
    }
    const attnBias = tf.tensor4d(bias, [B, 1, L, L]);
    let x: tf.Tensor = gatherDiff(w['item.embedding'] as tf.Tensor2D, ids).reshape([B, L, d]);
    x = tf.add(tf.mul(x, Math.sqrt(d)), w['position.embedding']);
    x = tf.mul(dropout(x, this.rate, rng, training), keep);
    const split = (t: tf.Tensor) => t.reshape([B, L, h, dh]).transpose([0, 2, 1, 3]);
    for (let l = 0; l < this.layers; l++) {
      const p = `layers.${l}.`;
      const q = layerNorm(x, w[`${p}attn_norm.gamma`], w[`${p}attn_norm.beta`]);
      const Q = split(dense(q, w[`${p}attn.wq`] as tf.Tensor2D, w[`${p}attn.bq`] as tf.Tensor1D));
      const K = split(dense(x, w[`${p}attn.wk`] as tf.Tensor2D, w[`${p}attn.bk`] as tf.Tensor1D));
      const V = split(dense(x, w[`${p}attn.wv`] as tf.Tensor2D, w[`${p}attn.bv`] as tf.Tensor1D));
      const scores = tf.add(tf.div(batchMatMul(Q, K, false, true), Math.sqrt(dh)), attnBias);
      const attn = dropout(tf.softmax(scores), this.rate, rng, training);
      const ctx = matMul(attn, V).transpose([0, 2, 1, 3]).reshape([B, L, d]);
      x = tf.add(q, dense(ctx, w[`${p}attn.wo`] as tf.Tensor2D, w[`${p}attn.bo`] as tf.Tensor1D));
      const f = layerNorm(x, w[`${p}ffn_norm.gamma`], w[`${p}ffn_norm.beta`]);
      const inner = dropout(tf.relu(dense(f, w[`${p}ffn.w1`] as tf.Tensor2D, w[`${p}ffn.b1`] as tf.Tensor1D)), this.rate, rng, training);
      x = tf.mul(tf.add(f, dropout(dense(inner, w[`${p}ffn.w2`] as tf.Tensor2D, w[`${p}ffn.b2`] as tf.Tensor1D), this.rate, rng, training)), keep);
    }
    return layerNorm(x, w['final_norm.gamma'], w['final_norm.beta']) as tf.Tensor3D;
  }

  /** Hidden state at the last (most recent) position, [B, d]. */
  lastHidden(histories: readonly ArrayLike<number>[], training: boolean): tf.Tensor2D {
    const H = this.hidden(histories, training);
    return H.slice([0, this.maxLen - 1, 0], [-1, 1, -1]).reshape([histories.length, this.dim]);
  }

  /** The dropout stream (saved with training checkpoints when the net trains as RTA's gate). */
  randomStreams(): Record<string, Rng> {
    return { dropout: this.dropoutRng };
  }

  /** Item side [d, nItems] (tied embeddings), so scoring is a plain matMul. */
  itemsT(): tf.Tensor2D {
    return tf.tidy(() => tf.transpose(this.w['item.embedding'].slice([0, 0], [this.nItems, this.dim])) as tf.Tensor2D);
  }

  /** [nItems + 1, d] item embeddings (row nItems = padding). */
  get itemEmbedding(): tf.Variable {
    return this.w['item.embedding'];
  }

  get itemBias(): tf.Variable {
    return this.w['item.bias'];
  }

  logits(histories: readonly Int32Array[], training: boolean): tf.Tensor2D {
    return tf.tidy(() => tf.add(matMul(this.lastHidden(histories, training), this.itemsT()), this.w['item.bias']) as tf.Tensor2D);
  }

  trainableVariables(): tf.Variable[] {
    return Object.values(this.w);
  }

  state(): Record<string, tf.Tensor> {
    return { ...this.w };
  }

  loadState(state: Record<string, tf.Tensor>): void {
    assignState(this.state(), state, this.name);
  }

  dispose(): void {
    for (const v of Object.values(this.w)) v.dispose();
  }
}

import { LmrecError, Rng, tf } from '@lmrec/core';
import { BaseAggregator, dense3Plain as dense3, lastValidOneHot, selectPositions } from './base.js';
import { constantVariable, seededDropout, uniformVariable } from './init.js';
import { encodeAtRead, layerNormLast, readLayout } from './trm-attention.js';

export interface TrmAggregatorOptions {
  /** Token-embedding width d (= model width). */
  dim: number;
  /** Attention heads (reference 8); must divide d. */
  heads?: number;
  /** Feed-forward width. Default min(2048, 4 d). */
  ffnDim?: number;
  /** Dropout on attention weights and both residual branches (reference 0.1). */
  dropout?: number;
  seed?: number;
  /**
   * Mask padded keys in attention (default true). The official RTA code
   * passes no mask (false): padding, zero vectors here, is attended to, so
   * a title's vector depends on how far it is padded (see padTo).
   */
  mask?: boolean;
  /** Pad titles to at least this many tokens (the official code: the catalogue's longest title). Default: the batch's longest. */
  padTo?: number;
  /**
   * Which query positions the layer computes. 'read' (default): only each
   * title's last valid token, the one the output reads (keys and values
   * still span every position). 'all': every position, then the read: the
   * straightforward reference, ~40x slower on a reindex batch. Same maths;
   * in training the dropout draws differ (other tensor shapes).
   */
  positions?: 'read' | 'all';
}

/**
 * One Transformer encoder layer (post-norm, ReLU feed-forward, as PyTorch's
 * nn.TransformerEncoderLayer defaults) over the title tokens with padded keys
 * masked out; output is the hidden state at the last valid token. Dropout
 * masks come from seeds drawn from core's Rng. By default only the read
 * position's query is computed (see `positions`).
 */
export class TrmAggregator extends BaseAggregator {
  readonly name = 'trm';
  readonly dim: number;
  readonly inputDim: number;
  readonly heads: number;
  readonly ffnDim: number;
  readonly dropout: number;
  readonly mask: boolean;
  readonly padTo: number;
  readonly positions: 'read' | 'all';
  private readonly dropoutRng: Rng;

  constructor(options: TrmAggregatorOptions) {
    super();
    const d = options.dim;
    this.inputDim = d;
    this.dim = d;
    this.heads = options.heads ?? 8;
    if (d % this.heads !== 0) throw new LmrecError('E_ARGUMENT', `trm aggregator: heads (${this.heads}) must divide dim (${d})`);
    this.ffnDim = options.ffnDim ?? Math.min(2048, 4 * d);
    this.dropout = options.dropout ?? 0.1;
    this.mask = options.mask ?? true;
    this.padTo = options.padTo ?? 1;
    this.positions = options.positions ?? 'read';
    const rng = new Rng(options.seed ?? 0).fork('trm');
    this.dropoutRng = new Rng(options.seed ?? 0).fork('trm.dropout');
    const xavier = (a: number, b: number) => Math.sqrt(6 / (a + b));
    for (const p of ['q', 'k', 'v', 'o']) {
      this.register(`attn.${p}.weight`, (n) => uniformVariable(rng, [d, d], xavier(d, d), n));
      this.register(`attn.${p}.bias`, (n) => constantVariable([d], 0, n));
    }
    this.register('ffn.1.weight', (n) => uniformVariable(rng, [d, this.ffnDim], 1 / Math.sqrt(d), n));
    this.register('ffn.1.bias', (n) => uniformVariable(rng, [this.ffnDim], 1 / Math.sqrt(d), n));
    this.register('ffn.2.weight', (n) => uniformVariable(rng, [this.ffnDim, d], 1 / Math.sqrt(this.ffnDim), n));
    this.register('ffn.2.bias', (n) => uniformVariable(rng, [d], 1 / Math.sqrt(this.ffnDim), n));
    for (const ln of ['norm1', 'norm2']) {
      this.register(`${ln}.weight`, (n) => constantVariable([d], 1, n));
      this.register(`${ln}.bias`, (n) => constantVariable([d], 0, n));
    }
  }

  /** The dropout stream (state saved with training checkpoints). */
  randomStreams(): Record<string, Rng> {
    return { dropout: this.dropoutRng };
  }

  apply(tokens: tf.Tensor3D, mask: tf.Tensor2D, training: boolean): tf.Tensor2D {
    this.checkInput(tokens, mask);
    return tf.tidy(() => {
      const valid = tf.cast(mask, 'float32') as tf.Tensor2D;
      const extra = Math.max(0, this.padTo - tokens.shape[1]);
      // padding reads as zero vectors, however the caller filled it
      const x0 = tf.mul(tokens, tf.expandDims(valid, 2)) as tf.Tensor3D;
      const m = tf.pad(valid, [[0, 0], [0, extra]]) as tf.Tensor2D;
      const drop = (t: tf.Tensor) => (training ? seededDropout(t, this.dropout, this.dropoutRng) : t);
      if (this.positions === 'read') {
        const [n, T] = valid.shape;
        const layout = readLayout(valid.dataSync(), n, T, T + extra);
        const w = (key: string) => this.variable(key);
        return encodeAtRead(x0, layout, w, { heads: this.heads, P: T + extra, keyMask: this.mask ? m : undefined, drop });
      }
      const x = tf.pad(x0, [[0, 0], [0, extra], [0, 0]]) as tf.Tensor3D;
      const attn = this.selfAttention(x, this.mask ? m : undefined, drop);
      const x1 = this.layerNorm(tf.add(x, drop(attn)) as tf.Tensor3D, 'norm1');
      const hidden = drop(tf.relu(dense3(x1, this.variable('ffn.1.weight') as tf.Tensor2D, this.variable('ffn.1.bias') as tf.Tensor1D)));
      const ffn = dense3(hidden as tf.Tensor3D, this.variable('ffn.2.weight') as tf.Tensor2D, this.variable('ffn.2.bias') as tf.Tensor1D);
      const x2 = this.layerNorm(tf.add(x1, drop(ffn)) as tf.Tensor3D, 'norm2');
      return selectPositions(x2, lastValidOneHot(m));
    });
  }

  /** Multi-head self-attention; keys where `m` is 0 are masked out (none without `m`). */
  private selfAttention(x: tf.Tensor3D, m: tf.Tensor2D | undefined, drop: (x: tf.Tensor) => tf.Tensor): tf.Tensor3D {
    const [n, T, d] = x.shape;
    const H = this.heads;
    const dh = d / H;
    const proj = (p: string) => {
      const y = dense3(x, this.variable(`attn.${p}.weight`) as tf.Tensor2D, this.variable(`attn.${p}.bias`) as tf.Tensor1D);
      return tf.transpose(tf.reshape(y, [n, T, H, dh]), [0, 2, 1, 3]) as tf.Tensor4D;
    };
    const q = proj('q');
    const k = proj('k');
    const v = proj('v');
    const scores = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dh));
    const masked = m ? tf.where(tf.broadcastTo(tf.greater(tf.reshape(m, [n, 1, 1, T]), 0), scores.shape), scores, tf.fill(scores.shape, -1e9)) : scores;
    const weights = drop(tf.softmax(masked, 3));
    const ctx = tf.reshape(tf.transpose(tf.matMul(weights as tf.Tensor4D, v), [0, 2, 1, 3]), [n, T, d]) as tf.Tensor3D;
    return dense3(ctx, this.variable('attn.o.weight') as tf.Tensor2D, this.variable('attn.o.bias') as tf.Tensor1D);
  }

  private layerNorm(x: tf.Tensor3D, key: string): tf.Tensor3D {
    return layerNormLast(x, this.variable(`${key}.weight`), this.variable(`${key}.bias`));
  }
}

import { Rng, tf, type Aggregator, type GatingRecommender } from '@lmrec/core';
import { gatherDiff } from '@lmrec/core';

/** Spearman rank correlation with average ranks for ties (independent of the package). */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ra = ranks(Array.from(a));
  const rb = ranks(Array.from(b));
  const n = ra.length;
  const ma = ra.reduce((s, x) => s + x, 0) / n;
  const mb = rb.reduce((s, x) => s + x, 0) / n;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    num += (ra[i] - ma) * (rb[i] - mb);
    da += (ra[i] - ma) ** 2;
    db += (rb[i] - mb) ** 2;
  }
  return num / Math.sqrt(da * db);
}

function ranks(x: number[]): number[] {
  const idx = x.map((v, i) => [v, i] as const).sort((p, q) => p[0] - q[0]);
  const out = new Array<number>(x.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1][0] === idx[i][0]) j++;
    for (let k = i; k <= j; k++) out[idx[k][1]] = (i + j) / 2;
    i = j + 1;
  }
  return out;
}

/** Draws from a discrete distribution p (unnormalised). */
export function sampler(p: number[], rng: Rng): () => number {
  const total = p.reduce((s, x) => s + x, 0);
  const cdf: number[] = [];
  let acc = 0;
  for (const x of p) cdf.push((acc += x / total));
  return () => {
    const u = rng.float();
    const i = cdf.findIndex((c) => u < c);
    return i < 0 ? p.length - 1 : i;
  };
}

function normalVariable(rng: Rng, shape: number[], scale: number): tf.Variable {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.variable(tf.tensor(Float32Array.from({ length: size }, () => rng.normal() * scale), shape), true);
}

/**
 * A small third-party gating model (FISM-like): user = sum of history item
 * embeddings / sqrt(n); logits = user . E^T + bias. Written here so that the
 * gate is tested against a plugin it knows nothing about.
 */
export class TinyFism implements GatingRecommender {
  readonly name = 'tiny-fism';
  readonly emb: tf.Variable;
  readonly bias: tf.Variable;

  constructor(
    readonly nItems: number,
    dim: number,
    seed: number,
  ) {
    const rng = new Rng(seed);
    this.emb = normalVariable(rng, [nItems, dim], 0.1);
    this.bias = tf.variable(tf.zeros([nItems]), true);
  }

  logits(histories: readonly Int32Array[]): tf.Tensor2D {
    return tf.tidy(() => {
      const len = Math.max(1, ...histories.map((h) => h.length));
      const ids = new Int32Array(histories.length * len);
      const mask = new Float32Array(histories.length * len);
      histories.forEach((h, r) => h.forEach((item, p) => ((ids[r * len + p] = item), (mask[r * len + p] = 1 / Math.sqrt(h.length)))));
      const e = gatherDiff(this.emb, tf.tensor1d(ids, 'int32')).reshape([histories.length, len, -1]);
      const user = tf.sum(tf.mul(e, tf.tensor3d(mask, [histories.length, len, 1])), 1) as tf.Tensor2D;
      return tf.add(tf.matMul(user, this.emb, false, true), this.bias);
    });
  }

  trainableVariables(): tf.Variable[] {
    return [this.emb, this.bias];
  }

  state(): Record<string, tf.Tensor> {
    return { emb: this.emb, bias: this.bias };
  }

  loadState(state: Record<string, tf.Tensor>): void {
    this.emb.assign(state.emb);
    this.bias.assign(state.bias);
  }

  dispose(): void {
    this.emb.dispose();
    this.bias.dispose();
  }
}

/**
 * A small aggregator: softmax weight per token position (masked), then
 * Linear(d -> d). Stands in for any Aggregator plugin.
 */
export class TinyWeightedAggregator implements Aggregator {
  readonly name = 'tiny-weighted';
  readonly posLogits: tf.Variable;
  readonly w: tf.Variable;
  readonly b: tf.Variable;

  constructor(
    readonly dim: number,
    maxTokens: number,
    seed: number,
  ) {
    const rng = new Rng(seed);
    this.posLogits = normalVariable(rng, [maxTokens], 0.5);
    this.w = tf.variable(tf.add(tf.eye(dim), tf.tensor2d(Float32Array.from({ length: dim * dim }, () => rng.normal() * 0.1), [dim, dim])), true);
    this.b = tf.variable(tf.zeros([dim]), true);
  }

  apply(tokens: tf.Tensor3D, mask: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const t = tokens.shape[1];
      const logits = tf.add(this.posLogits.slice([0], [t]).expandDims(0), tf.mul(tf.sub(1, mask), -1e9));
      const weights = tf.softmax(logits, 1).expandDims(2);
      const pooled = tf.sum(tf.mul(tokens, weights), 1) as tf.Tensor2D;
      return tf.add(tf.matMul(pooled, this.w), this.b);
    });
  }

  trainableVariables(): tf.Variable[] {
    return [this.posLogits, this.w, this.b];
  }

  state(): Record<string, tf.Tensor> {
    return { pos: this.posLogits, w: this.w, b: this.b };
  }

  loadState(state: Record<string, tf.Tensor>): void {
    this.posLogits.assign(state.pos);
    this.w.assign(state.w);
    this.b.assign(state.b);
  }

  dispose(): void {
    this.posLogits.dispose();
    this.w.dispose();
    this.b.dispose();
  }
}

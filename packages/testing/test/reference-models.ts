import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LmrecError, Rng, tf, type Aggregator, type CfSplit, type GatingRecommender, type Recommender } from '@lmrec/core';

// Small, correct implementations of the model extension points, each with
// switches that plant one bug, so the tests can show that every contract
// check passes on the correct one and fails on the bug it is about.

const values = (rng: Rng, n: number) => Float32Array.from({ length: n }, () => rng.normal() * 0.3);

export interface AggregatorBugs {
  ignoreMask?: boolean;
  ignoreSeed?: boolean;
  leak?: boolean;
  /** Multiplies the output by the batch size (rows then depend on the batch). */
  batchScale?: boolean;
}

/** Masked mean of the tokens, then a seeded Linear(d, dim). */
export class MeanLinear implements Aggregator {
  readonly name = 'mean-linear';
  readonly dim = 6;
  private w: tf.Variable;

  constructor(inputDim: number, seed: number, private readonly bugs: AggregatorBugs = {}) {
    const rng = new Rng(bugs.ignoreSeed ? 1 : seed);
    this.w = tf.tidy(() => tf.variable(tf.tensor2d(values(rng, inputDim * this.dim), [inputDim, this.dim])));
  }

  apply(tokens: tf.Tensor3D, mask: tf.Tensor2D): tf.Tensor2D {
    if (this.bugs.leak) tf.keep(tf.zeros([1]));
    return tf.tidy(() => {
      const m = this.bugs.ignoreMask ? tf.onesLike(mask) : mask;
      const mean = tf.div(tf.sum(tf.mul(tokens, m.expandDims(2)), 1), tf.maximum(tf.sum(m, 1, true), 1));
      const out = tf.matMul(mean as tf.Tensor2D, this.w);
      return (this.bugs.batchScale ? tf.mul(out, tokens.shape[0]) : out) as tf.Tensor2D;
    });
  }

  trainableVariables(): tf.Variable[] {
    return [this.w];
  }
  state(): Record<string, tf.Tensor> {
    return { w: this.w };
  }
  loadState(state: Record<string, tf.Tensor>): void {
    this.w.assign(state.w);
  }
  dispose(): void {
    this.w.dispose();
  }
}

export interface GatingBugs {
  ignoreSeed?: boolean;
  /** Subtracts the batch mean of the pooled vectors. */
  batchCentre?: boolean;
  /** Clamps out-of-range ids instead of refusing them. */
  clampIds?: boolean;
}

/** FISM-like: mean of the history's item embeddings dotted with every item, plus a bias. */
export class BagNet implements GatingRecommender {
  readonly name = 'bag';
  private emb: tf.Variable;
  private bias: tf.Variable;

  constructor(readonly nItems: number, seed: number, private readonly bugs: GatingBugs = {}) {
    const rng = new Rng(bugs.ignoreSeed ? 1 : seed);
    this.emb = tf.tidy(() => tf.variable(tf.tensor2d(values(rng, (nItems + 1) * 8), [nItems + 1, 8])));
    this.bias = tf.tidy(() => tf.variable(tf.zeros([nItems])));
  }

  logits(histories: readonly Int32Array[]): tf.Tensor2D {
    const pool = new Float32Array(histories.length * (this.nItems + 1));
    histories.forEach((h, r) => {
      const ids = Array.from(h, (j) => (this.bugs.clampIds ? Math.min(Math.max(j, 0), this.nItems - 1) : j));
      for (const j of ids) if (!(Number.isInteger(j) && j >= 0 && j < this.nItems)) throw new LmrecError('E_RANGE', `item ${j} is not in [0, ${this.nItems})`);
      ids.push(this.nItems); // [CLS]
      for (const j of ids) pool[r * (this.nItems + 1) + j] += 1 / ids.length;
    });
    return tf.tidy(() => {
      let u = tf.matMul(tf.tensor2d(pool, [histories.length, this.nItems + 1]), this.emb);
      if (this.bugs.batchCentre) u = tf.sub(u, tf.mean(u, 0, true));
      const items = this.emb.slice([0, 0], [this.nItems, 8]);
      return tf.add(tf.matMul(u, items, false, true), this.bias) as tf.Tensor2D;
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

export interface RecommenderBugs {
  ignoreSeed?: boolean;
  /** load() restores the co-occurrences but not the seeded jitter. */
  forgetJitter?: boolean;
  /** Every row of a block gets the first user's scores. */
  firstUserOnly?: boolean;
  /** Zeros instead of an error before fit. */
  silentBeforeFit?: boolean;
}

/** Item co-occurrence scores plus a small seeded per-item jitter; saved as JSON. */
export class CoocRecommender implements Recommender {
  readonly name = 'cooc';
  nItems = 0;
  private rows: number[][] = [];
  private cooc = new Float32Array(0);
  private jitter = new Float32Array(0);

  constructor(private readonly bugs: RecommenderBugs = {}) {}

  async fit(data: CfSplit, options: { seed?: number } = {}): Promise<void> {
    this.nItems = data.nItems;
    this.rows = Array.from({ length: data.nUsers }, (_, u) => Array.from(data.train.row(u)));
    this.cooc = new Float32Array(data.nItems * data.nItems);
    for (const row of this.rows) for (const i of row) for (const j of row) if (i !== j) this.cooc[i * data.nItems + j]++;
    const rng = new Rng(this.bugs.ignoreSeed ? 0 : (options.seed ?? 0));
    this.jitter = Float32Array.from({ length: data.nItems }, () => rng.float() * 1e-3);
  }

  scoreBlock(users: Int32Array): Float32Array {
    if (!this.rows.length && !this.bugs.silentBeforeFit) throw new LmrecError('E_STATE', 'cooc is not fitted');
    const out = new Float32Array(users.length * this.nItems);
    users.forEach((user, r) => {
      const u = this.bugs.firstUserOnly ? users[0] : user;
      for (const i of this.rows[u] ?? []) for (let j = 0; j < this.nItems; j++) out[r * this.nItems + j] += this.cooc[i * this.nItems + j];
      for (let j = 0; j < this.nItems; j++) out[r * this.nItems + j] += this.jitter[j];
    });
    return out;
  }

  async save(dir: string): Promise<void> {
    writeFileSync(join(dir, 'cooc.json'), JSON.stringify({ nItems: this.nItems, rows: this.rows, cooc: Array.from(this.cooc), jitter: Array.from(this.jitter) }));
  }

  async load(dir: string): Promise<void> {
    let saved: { nItems: number; rows: number[][]; cooc: number[]; jitter: number[] };
    try {
      saved = JSON.parse(readFileSync(join(dir, 'cooc.json'), 'utf8'));
    } catch (error) {
      throw new LmrecError('E_IO', `cannot read the saved model: ${(error as Error).message}`, { file: join(dir, 'cooc.json') });
    }
    this.nItems = saved.nItems;
    this.rows = saved.rows;
    this.cooc = Float32Array.from(saved.cooc);
    this.jitter = this.bugs.forgetJitter ? new Float32Array(saved.nItems) : Float32Array.from(saved.jitter);
  }
}

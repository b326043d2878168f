import { LmrecError, type Csr, type Rng } from '@lmrec/core';
import { drawn, TrainMembership, uniform } from './sampler-draws.js';
import type { Sampler } from './types.js';

/** (user, positive, negatives) triples; `neg` is row-major [size, negatives]. */
export interface InteractionBatch {
  users: Int32Array;
  pos: Int32Array;
  neg: Int32Array;
  negatives: number;
  /** The batch size asked for (a last incomplete batch has fewer rows). */
  batchSize?: number;
}

export interface InteractionSamplerOptions {
  /** Negatives per (user, positive); 0 for none. Default 1 (BPR). */
  negatives?: number;
  /** Draw a row's negatives with replacement (AlphaRec) or distinct. Default true. */
  replacement?: boolean;
  /**
   * 'user-mod' (AlphaRec, LightGCN reference): sample index k -> user k mod nUsers
   * (over users with train items), positive uniform from that user's train items.
   * 'interaction': every train interaction exactly once per epoch.
   */
  mode?: 'user-mod' | 'interaction';
  /** Shuffle the sample order each epoch. Default true. */
  shuffle?: boolean;
  /** Drop the last incomplete batch (AlphaRec). Default false. */
  dropLast?: boolean;
  /** Samples per epoch; default the number of train interactions. */
  epochSize?: number;
  /**
   * Item range [lo, hi) each user's negatives come from (multi-domain
   * training: negatives stay within the user's own domain). Default: all items.
   */
  itemRange?: (user: number) => readonly [number, number];
}

/**
 * Pairwise / contrastive sampling over the train CSR, the one interaction
 * sampler of lmrec (MF, LightGCN, FISM, AlphaRec). Negatives are uniform over
 * the user's item range (all items by default) excluding the user's train
 * items, drawn with one `rng.int(span)` per try, so the stream of draws is
 * the same whatever the membership test.
 */
export class InteractionSampler implements Sampler<InteractionBatch> {
  readonly negatives: number;
  readonly replacement: boolean;
  readonly mode: 'user-mod' | 'interaction';
  readonly dropLast: boolean;
  private readonly active: Int32Array;
  private readonly rowOf: Int32Array | undefined;
  private readonly lo: Int32Array;
  private readonly span: Int32Array;
  /** Per user, rng.int's rejection limits 2^32 - 2^32 mod n for its positives (n = degree) and negatives (n = span). */
  private readonly posLimit: Float64Array;
  private readonly negLimit: Float64Array;
  private readonly trainHas: TrainMembership;
  private readonly n: number;

  constructor(
    readonly train: Csr,
    private readonly options: InteractionSamplerOptions = {},
  ) {
    this.negatives = options.negatives ?? 1;
    this.replacement = options.replacement ?? true;
    this.mode = options.mode ?? 'user-mod';
    this.dropLast = options.dropLast ?? false;
    const active: number[] = [];
    for (let u = 0; u < train.nRows; u++) if (train.degree(u) > 0) active.push(u);
    if (active.length === 0) throw new LmrecError('E_DATA', 'the train split has no interactions');
    this.active = Int32Array.from(active);
    this.n = options.epochSize ?? train.nnz;
    if (this.mode === 'interaction') {
      this.rowOf = new Int32Array(train.nnz);
      for (let u = 0; u < train.nRows; u++) this.rowOf.fill(u, train.indptr[u], train.indptr[u + 1]);
    }
    this.lo = new Int32Array(train.nRows);
    this.span = new Int32Array(train.nRows).fill(train.nCols);
    for (const u of this.active) this.checkUser(u);
    this.trainHas = new TrainMembership(train);
    this.posLimit = new Float64Array(train.nRows);
    this.negLimit = new Float64Array(train.nRows);
    for (const u of this.active) {
      this.posLimit[u] = 0x100000000 - (0x100000000 % train.degree(u));
      this.negLimit[u] = 0x100000000 - (0x100000000 % this.span[u]);
    }
  }

  /** Sets the user's item range and fails when it cannot give the negatives asked for. */
  private checkUser(u: number): void {
    const range = this.options.itemRange?.(u);
    if (range) {
      this.lo[u] = range[0];
      this.span[u] = range[1] - range[0];
    }
    let inRange = 0;
    for (const j of this.train.row(u)) if (j >= this.lo[u] && j < this.lo[u] + this.span[u]) inRange++;
    const free = this.span[u] - inRange;
    if (this.negatives > 0 && free <= 0) {
      throw new LmrecError('E_DATA', `user ${u} has interacted with every item of its range, no negative can be drawn`);
    }
    if (!this.replacement && free < this.negatives) {
      throw new LmrecError('E_DATA', `user ${u} has fewer than ${this.negatives} non-train items to draw distinct negatives from`);
    }
  }

  size(): number {
    return this.n;
  }

  *batches(rng: Rng, batchSize: number): Iterable<{ batch: InteractionBatch; size: number }> {
    const order = new Int32Array(this.n);
    for (let i = 0; i < this.n; i++) order[i] = i;
    if (this.options.shuffle ?? true) rng.shuffle(order);
    const { train, negatives } = this;
    for (let start = 0; start < this.n; start += batchSize) {
      const size = Math.min(batchSize, this.n - start);
      if (size < batchSize && this.dropLast) break;
      const users = new Int32Array(size);
      const pos = new Int32Array(size);
      const neg = new Int32Array(size * negatives);
      for (let r = 0; r < size; r++) {
        const k = order[start + r];
        let u: number;
        if (this.mode === 'interaction') {
          u = this.rowOf![k % train.nnz];
          pos[r] = train.indices[k % train.nnz];
        } else {
          u = this.active[k % this.active.length];
          const r0 = train.indptr[u];
          pos[r] = train.indices[r0 + uniform(rng, train.indptr[u + 1] - r0, this.posLimit[u])];
        }
        users[r] = u;
        if (negatives > 0) this.drawNegatives(rng, u, neg, r * negatives);
      }
      yield { batch: { users, pos, neg, negatives, batchSize }, size };
    }
  }

  private drawNegatives(rng: Rng, u: number, out: Int32Array, offset: number): void {
    const lo = this.lo[u];
    const span = this.span[u];
    const limit = this.negLimit[u];
    for (let s = 0; s < this.negatives; s++) {
      let j: number;
      do j = lo + uniform(rng, span, limit);
      while (this.trainHas.has(u, j) || (!this.replacement && drawn(out, offset, offset + s, j)));
      out[offset + s] = j;
    }
  }
}

/** A batch of users (MultVAE rows, SASRec sequences). */
export interface UserBatch {
  users: Int32Array;
}

/** Every user with at least one train item, once per epoch, shuffled. */
export class UserSampler implements Sampler<UserBatch> {
  readonly unit = 'users';
  readonly dropLast: boolean;
  private readonly active: Int32Array;

  constructor(train: Csr, private readonly options: { shuffle?: boolean; dropLast?: boolean } = {}) {
    this.dropLast = options.dropLast ?? false;
    const active: number[] = [];
    for (let u = 0; u < train.nRows; u++) if (train.degree(u) > 0) active.push(u);
    this.active = Int32Array.from(active);
  }

  size(): number {
    return this.active.length;
  }

  *batches(rng: Rng, batchSize: number): Iterable<{ batch: UserBatch; size: number }> {
    const order = this.active.slice();
    if (this.options.shuffle ?? true) rng.shuffle(order);
    for (let start = 0; start < order.length; start += batchSize) {
      const users = order.slice(start, start + batchSize);
      if (users.length < batchSize && this.dropLast) break;
      yield { batch: { users }, size: users.length };
    }
  }
}

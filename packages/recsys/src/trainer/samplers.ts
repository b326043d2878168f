import { LmrecError, sortedHas, type Csr, type Rng } from '@lmrec/core';
import type { Sampler } from './types.js';

/** (user, positive, negatives) triples; `neg` is row-major [size, negatives]. */
export interface InteractionBatch {
  users: Int32Array;
  pos: Int32Array;
  neg: Int32Array;
  negatives: number;
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
}

/**
 * Pairwise / contrastive sampling over the train CSR. Negatives are uniform
 * over all items excluding the user's train items.
 */
export class InteractionSampler implements Sampler<InteractionBatch> {
  readonly negatives: number;
  readonly replacement: boolean;
  readonly mode: 'user-mod' | 'interaction';
  private readonly active: Int32Array;
  private readonly rowOf: Int32Array | undefined;
  private readonly n: number;

  constructor(
    readonly train: Csr,
    private readonly options: InteractionSamplerOptions = {},
  ) {
    this.negatives = options.negatives ?? 1;
    this.replacement = options.replacement ?? true;
    this.mode = options.mode ?? 'user-mod';
    const active: number[] = [];
    for (let u = 0; u < train.nRows; u++) if (train.degree(u) > 0) active.push(u);
    if (active.length === 0) throw new LmrecError('E_DATA', 'the train split has no interactions');
    this.active = Int32Array.from(active);
    this.n = options.epochSize ?? train.nnz;
    if (this.mode === 'interaction') {
      this.rowOf = new Int32Array(train.nnz);
      for (let u = 0; u < train.nRows; u++) this.rowOf.fill(u, train.indptr[u], train.indptr[u + 1]);
    }
    if (!this.replacement) {
      for (const u of this.active) {
        if (train.nCols - train.degree(u) < this.negatives) {
          throw new LmrecError('E_DATA', `user ${u} has fewer than ${this.negatives} non-train items to draw distinct negatives from`);
        }
      }
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
      if (size < batchSize && this.options.dropLast) break;
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
          const row = train.row(u);
          pos[r] = row[rng.int(row.length)];
        }
        users[r] = u;
        this.drawNegatives(rng, u, neg, r * negatives);
      }
      yield { batch: { users, pos, neg, negatives }, size };
    }
  }

  private drawNegatives(rng: Rng, u: number, out: Int32Array, offset: number): void {
    const nItems = this.train.nCols;
    const row = this.train.row(u);
    const taken = this.replacement ? undefined : new Set<number>();
    for (let s = 0; s < this.negatives; s++) {
      let j: number;
      do j = rng.int(nItems);
      while (sortedHas(row, j) || (taken !== undefined && taken.has(j)));
      taken?.add(j);
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
  private readonly active: Int32Array;

  constructor(train: Csr, private readonly options: { shuffle?: boolean; dropLast?: boolean } = {}) {
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
      if (users.length < batchSize && this.options.dropLast) break;
      yield { batch: { users }, size: users.length };
    }
  }
}

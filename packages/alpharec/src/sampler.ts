import { LmrecError, type Csr, type Rng } from '@lmrec/core';
import type { ContrastiveBatch } from './infonce.js';

export interface AlphaRecSamplerOptions {
  /** Negatives per (user, positive), 256 in the paper. */
  negatives?: number;
  /** Drop the last incomplete batch (the reference does). Default true. */
  dropLast?: boolean;
  /**
   * Item range [lo, hi) each user's negatives come from (multi-domain
   * training: negatives stay within the user's own domain). Default: all items.
   */
  itemRange?: (user: number) => readonly [number, number];
}

/**
 * AlphaRec's sampling: one sample per train interaction per epoch, in a
 * shuffled order; sample index k -> user k mod n (over users with train
 * items, in id order), positive uniform from that user's train items,
 * `negatives` items uniform WITH replacement over the user's item range
 * excluding the user's train items.
 */
export class AlphaRecSampler {
  readonly negatives: number;
  private readonly active: Int32Array;
  private readonly lo: Int32Array;
  private readonly hi: Int32Array;

  constructor(
    readonly train: Csr,
    private readonly options: AlphaRecSamplerOptions = {},
  ) {
    this.negatives = options.negatives ?? 256;
    const active: number[] = [];
    for (let u = 0; u < train.nRows; u++) if (train.degree(u) > 0) active.push(u);
    if (active.length === 0) throw new LmrecError('E_DATA', 'the train split has no interactions');
    this.active = Int32Array.from(active);
    this.lo = new Int32Array(train.nRows);
    this.hi = new Int32Array(train.nRows).fill(train.nCols);
    for (const u of this.active) {
      if (options.itemRange) {
        const [lo, hi] = options.itemRange(u);
        this.lo[u] = lo;
        this.hi[u] = hi;
      }
      let inRange = 0;
      for (const j of train.row(u)) if (j >= this.lo[u] && j < this.hi[u]) inRange++;
      if (this.negatives > 0 && this.hi[u] - this.lo[u] - inRange <= 0) {
        throw new LmrecError('E_DATA', `user ${u} has interacted with every item of its range, no negative can be drawn`);
      }
    }
  }

  size(): number {
    return this.train.nnz;
  }

  *batches(rng: Rng, batchSize: number): Iterable<{ batch: ContrastiveBatch; size: number }> {
    const n = this.size();
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    rng.shuffle(order);
    const { train, negatives, active } = this;
    const dropLast = this.options.dropLast ?? true;
    const seen = new Uint8Array(train.nCols); // the current user's train items, O(1) membership
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      if (size < batchSize && dropLast) break;
      const users = new Int32Array(size);
      const pos = new Int32Array(size);
      const neg = new Int32Array(size * negatives);
      for (let r = 0; r < size; r++) {
        const u = active[order[start + r] % active.length];
        const row = train.row(u);
        users[r] = u;
        pos[r] = row[rng.int(row.length)];
        const lo = this.lo[u];
        const span = this.hi[u] - lo;
        // rng.int(span) inlined (same unbiased rejection on the 32-bit range): 1M draws per batch
        const limit = 0x100000000 - (0x100000000 % span);
        const o = r * negatives;
        for (let t = 0; t < row.length; t++) seen[row[t]] = 1;
        for (let s = 0; s < negatives; s++) {
          let j: number;
          do {
            let x = rng.nextUint32();
            while (x >= limit) x = rng.nextUint32();
            j = lo + (x % span);
          } while (seen[j] === 1);
          neg[o + s] = j;
        }
        for (let t = 0; t < row.length; t++) seen[row[t]] = 0;
      }
      yield { batch: { users, pos, neg, negatives }, size };
    }
  }
}

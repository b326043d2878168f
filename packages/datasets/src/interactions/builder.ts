import { Csr, LmrecError } from '@lmrec/core';
import { InteractionDataset } from './dataset.js';
import { DenseIdMap, Items } from './idmap.js';

/**
 * What to do with a repeated (user, item) pair:
 * - `error` (default): an LmrecError naming both lines; MovieLens has none, so one means damage.
 * - `first` / `last`: keep the first / last occurrence in file order.
 * - `latest`: keep the one with the largest timestamp (file order breaks ties, later wins).
 */
export type DedupRule = 'error' | 'first' | 'last' | 'latest';

type Key = number | string;

const SMALL = 1 << 26;

/**
 * Collects interactions into growable typed arrays (no object per line) and
 * builds the CSR with two counting sorts (by item, then stably by user), so
 * rows come out sorted in O(nnz) and duplicates are adjacent.
 */
export class InteractionBuilder {
  private u: Int32Array;
  private i: Int32Array;
  private r?: Float32Array;
  private t?: Float64Array;
  private n = 0;
  private readonly userIds = new Map<Key, number>();
  private readonly userKeys: Key[] = [];
  private readonly itemIds: Map<Key, number>;
  private readonly itemKeys: Key[];
  /** (record index, line - record index) whenever that offset changes: line numbers without an array per record. */
  private readonly lineShifts: number[] = [];
  private lastShift = Number.NaN;

  constructor(
    readonly file: string,
    options: { ratings?: boolean; timestamps?: boolean; capacity?: number; catalogue?: Map<Key, number> } = {},
  ) {
    const cap = Math.max(1024, options.capacity ?? 0);
    this.u = new Int32Array(cap);
    this.i = new Int32Array(cap);
    if (options.ratings) this.r = new Float32Array(cap);
    if (options.timestamps) this.t = new Float64Array(cap);
    this.itemIds = options.catalogue ?? new Map();
    this.itemKeys = [];
    this.fixedItems = options.catalogue !== undefined;
  }

  private readonly fixedItems: boolean;

  get size(): number {
    return this.n;
  }

  /** Dense item index of a key, or undefined when a fixed catalogue does not have it. */
  item(key: Key): number | undefined {
    let id = this.itemIds.get(key);
    if (id === undefined && !this.fixedItems) {
      id = this.itemKeys.length;
      this.itemIds.set(key, id);
      this.itemKeys.push(key);
    }
    return id;
  }

  /** Dense index + 1 of small non-negative integer user keys: a typed-array lookup instead of hashing a double. */
  private smallUsers = new Int32Array(0);

  user(key: Key): number {
    if (typeof key === 'number' && key >= 0 && key < SMALL && Number.isInteger(key)) {
      if (key >= this.smallUsers.length) {
        const grown = new Int32Array(Math.min(SMALL, Math.max(1024, key * 2)));
        grown.set(this.smallUsers);
        this.smallUsers = grown;
      }
      const known = this.smallUsers[key];
      if (known > 0) return known - 1;
      const id = this.userKeys.length;
      this.smallUsers[key] = id + 1;
      this.userIds.set(key, id);
      this.userKeys.push(key);
      return id;
    }
    let id = this.userIds.get(key);
    if (id === undefined) {
      id = this.userKeys.length;
      this.userIds.set(key, id);
      this.userKeys.push(key);
    }
    return id;
  }

  push(user: number, item: number, rating: number, timestamp: number, line: number): void {
    if (this.n === this.u.length) this.grow();
    const k = this.n++;
    this.u[k] = user;
    this.i[k] = item;
    if (this.r) this.r[k] = rating;
    if (this.t) this.t[k] = timestamp;
    const shift = line - k;
    if (shift !== this.lastShift) {
      this.lineShifts.push(k, shift);
      this.lastShift = shift;
    }
  }

  /** Line number of record k. */
  lineOf(k: number): number {
    let lo = 0;
    let hi = this.lineShifts.length / 2 - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.lineShifts[mid * 2] <= k) lo = mid;
      else hi = mid - 1;
    }
    return k + this.lineShifts[lo * 2 + 1];
  }

  private grow(): void {
    const cap = this.u.length * 2;
    const resize = <T extends Int32Array | Float32Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as any)(cap) as T;
      b.set(a);
      return b;
    };
    this.u = resize(this.u);
    this.i = resize(this.i);
    if (this.r) this.r = resize(this.r);
    if (this.t) this.t = resize(this.t);
  }

  /**
   * The dataset. Users are numbered by ascending original id (numeric when
   * every id is a number), so the result does not depend on line order;
   * items follow the catalogue when one was given, else ascending id too.
   */
  build(name: string, options: { items?: Items; dedup?: DedupRule } = {}): InteractionDataset {
    const n = this.n;
    const userRank = rankKeys(this.userKeys);
    const { items, itemRank } = this.catalogue(options.items);
    const nUsers = this.userKeys.length;
    const users = new DenseIdMap(sortedStrings(this.userKeys, userRank));
    const u = this.u;
    const it = this.i;
    if (userRank) for (let k = 0; k < n; k++) u[k] = userRank[u[k]];
    if (itemRank) for (let k = 0; k < n; k++) it[k] = itemRank[it[k]];
    const { indptr, order } = rowOrder(u.subarray(0, n), it.subarray(0, n), nUsers, items.size);
    const rows = this.compact(indptr, order, options.dedup ?? 'error', (x, j) => `user ${users.ids[x]} and item ${items.ids[j]}`);
    const w = rows.indptr[nUsers];
    const trim = <T extends Int32Array | Float32Array | Float64Array>(a: T | undefined): T | undefined => (a && w < n ? (a.slice(0, w) as T) : a);
    return new InteractionDataset({
      name,
      users,
      items,
      interactions: new Csr(nUsers, items.size, rows.indptr, trim(rows.indices)!),
      ratings: trim(rows.ratings),
      timestamps: trim(rows.timestamps),
    });
  }

  /** The catalogue: the fixed one given, else the items seen, numbered by ascending id. */
  private catalogue(given: Items | undefined): { items: Items; itemRank?: Int32Array } {
    if (this.fixedItems) {
      if (!given) throw new LmrecError('E_ARGUMENT', 'a fixed catalogue needs the Items table');
      return { items: given };
    }
    const itemRank = rankKeys(this.itemKeys);
    const sortedKeys = new Array<string>(this.itemKeys.length);
    this.itemKeys.forEach((key, j) => (sortedKeys[itemRank[j]] = String(key)));
    return { items: given ?? new Items(sortedKeys, sortedKeys.map(() => '')), itemRank };
  }

  /** Rows in `order`, duplicates (adjacent within a row) resolved by the dedup rule. */
  private compact(indptr: Int32Array, order: Int32Array, dedup: DedupRule, pair: (user: number, item: number) => string) {
    const n = order.length;
    const nUsers = indptr.length - 1;
    const it = this.i;
    const indices = new Int32Array(n);
    const ratings = this.r ? new Float32Array(n) : undefined;
    const timestamps = this.t ? new Float64Array(n) : undefined;
    const outIndptr = new Int32Array(nUsers + 1);
    let w = 0;
    for (let x = 0; x < nUsers; x++) {
      const rowStart = w;
      for (let p = indptr[x]; p < indptr[x + 1]; p++) {
        const k = order[p];
        const j = it[k];
        if (w > rowStart && indices[w - 1] === j) {
          const prev = order[p - 1];
          if (dedup === 'error') {
            throw new LmrecError('E_DUPLICATE', `${pair(x, j)} already appear on line ${this.lineOf(Math.min(prev, k))}`, {
              file: this.file,
              line: this.lineOf(Math.max(prev, k)),
              field: 'item',
              hint: 'pass dedup: "first" | "last" | "latest" to keep one',
            });
          }
          const keepNew = dedup === 'last' || (dedup === 'latest' && this.t !== undefined && this.t[k] >= timestamps![w - 1]);
          if (keepNew) {
            if (ratings) ratings[w - 1] = this.r![k];
            if (timestamps) timestamps[w - 1] = this.t![k];
            order[p] = k;
          } else {
            order[p] = prev; // the kept record stays the comparison point
          }
          continue;
        }
        indices[w] = j;
        if (ratings) ratings[w] = this.r![k];
        if (timestamps) timestamps[w] = this.t![k];
        w++;
      }
      outIndptr[x + 1] = w;
    }
    return { indptr: outIndptr, indices, ratings, timestamps };
  }
}

/** Record order sorted by user, then stably by item (a counting sort by item, then one by user). */
function rowOrder(u: Int32Array, it: Int32Array, nUsers: number, nItems: number): { indptr: Int32Array; order: Int32Array } {
  const n = u.length;
  const byItem = new Int32Array(n);
  const start = new Int32Array(nItems + 1);
  for (let k = 0; k < n; k++) start[it[k] + 1]++;
  for (let j = 0; j < nItems; j++) start[j + 1] += start[j];
  for (let k = 0; k < n; k++) byItem[start[it[k]]++] = k;
  const indptr = new Int32Array(nUsers + 1);
  for (let k = 0; k < n; k++) indptr[u[k] + 1]++;
  for (let x = 0; x < nUsers; x++) indptr[x + 1] += indptr[x];
  const cursor = indptr.slice(0, nUsers);
  const order = new Int32Array(n); // position -> record
  for (let p = 0; p < n; p++) {
    const k = byItem[p];
    order[cursor[u[k]]++] = k;
  }
  return { indptr, order };
}

/** rank[j] = position of key j in ascending order (numeric if all keys are numbers). */
function rankKeys(keys: Key[]): Int32Array {
  const idx = Array.from(keys.keys());
  const numeric = keys.every((k) => typeof k === 'number');
  if (numeric) idx.sort((a, b) => (keys[a] as number) - (keys[b] as number));
  else idx.sort((a, b) => (String(keys[a]) < String(keys[b]) ? -1 : String(keys[a]) > String(keys[b]) ? 1 : 0));
  const rank = new Int32Array(keys.length);
  idx.forEach((j, r) => (rank[j] = r));
  return rank;
}

function sortedStrings(keys: Key[], rank: Int32Array): string[] {
  const out = new Array<string>(keys.length);
  keys.forEach((key, j) => (out[rank[j]] = String(key)));
  return out;
}

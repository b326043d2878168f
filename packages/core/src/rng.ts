import { LmrecError } from './errors.js';

/**
 * Seeded PRNG (xoshiro128**, seeded through splitmix32) used by every sampler
 * in lmrec, so a run is reproducible from its seed on any machine. Not for
 * cryptography.
 */
/** A position of an Rng stream (see `Rng.getState`). */
export interface RngState {
  s: [number, number, number, number];
  spareNormal: number | null;
}

export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spareNormal: number | undefined;

  constructor(readonly seed: number) {
    let x = seed >>> 0;
    const splitmix = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = splitmix();
    this.s1 = splitmix();
    this.s2 = splitmix();
    this.s3 = splitmix();
  }

  /** The stream's position (four state words and the spare normal draw), JSON-serialisable: checkpoints resume a stream mid-run with it. */
  getState(): RngState {
    return { s: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0], spareNormal: this.spareNormal ?? null };
  }

  /** Moves the stream to a position `getState` returned (words as unsigned 32-bit integers; the generator is bitwise only, so this is exact). */
  setState(state: RngState): void {
    if (!Array.isArray(state?.s) || state.s.length !== 4 || !state.s.every((x) => Number.isInteger(x) && x >= 0 && x <= 0xffffffff)) {
      throw new LmrecError('E_CHECKPOINT', `not an Rng state: ${JSON.stringify(state)}`);
    }
    [this.s0, this.s1, this.s2, this.s3] = state.s;
    this.spareNormal = state.spareNormal ?? undefined;
  }

  /** An independent stream derived from this seed and a label (order-independent). */
  fork(label: string | number): Rng {
    let h = 0x811c9dc5 ^ this.seed;
    for (const ch of String(label)) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
    return new Rng(h >>> 0);
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform float in [0, 1) with 53 random bits. */
  float(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n), unbiased (rejection on the 32-bit range). */
  int(n: number): number {
    if (!(n > 0) || n > 0x100000000 || !Number.isInteger(n)) {
      throw new LmrecError('E_ARGUMENT', `Rng.int needs an integer n in [1, 2^32], got ${n}`);
    }
    const limit = 0x100000000 - umod(0x100000000, n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return umod(x, n);
  }

  /** Standard normal draw (Box-Muller, the spare value is kept). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const v = this.spareNormal;
      this.spareNormal = undefined;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.float();
    const v = this.float();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Fisher-Yates shuffle in place; returns the same array. */
  shuffle<T extends { length: number; [i: number]: any }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }

  /**
   * Uniform integer in [0, n) not in `exclude`. `exclude` is a sorted id list
   * (e.g. a CSR row) or a Set. Rejection sampling while exclusions are a
   * minority, otherwise a draw over the complement.
   */
  intExcluding(n: number, exclude: ArrayLike<number> | ReadonlySet<number>): number {
    const has = membership(exclude);
    const size = 'size' in exclude ? (exclude as ReadonlySet<number>).size : (exclude as ArrayLike<number>).length;
    if (size < n / 2) {
      for (;;) {
        const x = this.int(n);
        if (!has(x)) return x;
      }
    }
    const allowed: number[] = [];
    for (let i = 0; i < n; i++) if (!has(i)) allowed.push(i);
    if (allowed.length === 0) {
      throw new LmrecError('E_ARGUMENT', `cannot draw from [0, ${n}): every value is excluded`);
    }
    return allowed[this.int(allowed.length)];
  }

  /** k distinct integers from [0, n), in random order (Floyd's algorithm for small k). */
  sampleWithoutReplacement(n: number, k: number): Int32Array {
    if (k > n || k < 0) throw new LmrecError('E_ARGUMENT', `cannot choose ${k} of ${n} without replacement`);
    const out = new Int32Array(k);
    if (k * 4 > n) {
      const all = new Int32Array(n);
      for (let i = 0; i < n; i++) all[i] = i;
      for (let i = 0; i < k; i++) {
        const j = i + this.int(n - i);
        const tmp = all[i];
        all[i] = all[j];
        all[j] = tmp;
        out[i] = all[i];
      }
      return out;
    }
    const chosen = new Set<number>();
    let w = 0;
    for (let j = n - k; j < n; j++) {
      const t = this.int(j + 1);
      const v = chosen.has(t) ? j : t;
      chosen.add(v);
      out[w++] = v;
    }
    return this.shuffle(out);
  }

  /** Pick one element uniformly. */
  choice<T>(items: ArrayLike<T>): T {
    if (items.length === 0) throw new LmrecError('E_ARGUMENT', 'choice from an empty list');
    return items[this.int(items.length)];
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Membership test for a Set or a sorted array (binary search). */
export function membership(exclude: ArrayLike<number> | ReadonlySet<number>): (x: number) => boolean {
  if (exclude instanceof Set) return (x) => exclude.has(x);
  const arr = exclude as ArrayLike<number>;
  return (x) => sortedHas(arr, x);
}

/** Binary search in an ascending id list (a CSR row). */
export function sortedHas(sorted: ArrayLike<number>, x: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid];
    if (v === x) return true;
    if (v < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/**
 * a mod n for integers a <= 2^32, n >= 1: the values of `%`, without its
 * slow float path (a uint32 above 2^31 is no small integer, so `%` is an
 * fmod call). Exact: a / n is at least 1 / n below the next integer q,
 * and q n < 2^33, so the division cannot round up to q.
 */
function umod(a: number, n: number): number {
  return a - Math.floor(a / n) * n;
}

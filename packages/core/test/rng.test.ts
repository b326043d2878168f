import { describe, expect, it } from 'vitest';
import { Rng } from '../src/index.js';

const M32 = (1n << 32n) - 1n;
const rotl = (x: bigint, k: bigint) => ((x << k) | (x >> (32n - k))) & M32;

/** splitmix32 seeding + xoshiro128** written from the published algorithm, in BigInt arithmetic. */
function referenceStream(seed: number, count: number): number[] {
  let x = BigInt(seed >>> 0);
  const splitmix = () => {
    x = (x + 0x9e3779b9n) & M32;
    let z = x;
    z = ((z ^ (z >> 16n)) * 0x85ebca6bn) & M32;
    z = ((z ^ (z >> 13n)) * 0xc2b2ae35n) & M32;
    return (z ^ (z >> 16n)) & M32;
  };
  const s = [splitmix(), splitmix(), splitmix(), splitmix()];
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    out.push(Number((rotl((s[1] * 5n) & M32, 7n) * 9n) & M32));
    const t = (s[1] << 9n) & M32;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11n);
  }
  return out;
}

/** Pearson chi-square statistic of observed counts against equal expectation. */
function chiSquare(counts: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  const e = total / counts.length;
  let chi = 0;
  for (let i = 0; i < counts.length; i++) chi += (counts[i] - e) ** 2 / e;
  return chi;
}
// 99.9% quantiles of chi-square: a fair generator fails one of these 1 time in 1000 (per seed)
const CHI2_999: Record<number, number> = { 4: 18.47, 9: 27.88, 19: 43.82, 49: 85.35, 54: 91.87 };

describe('Rng determinism', () => {
  it('is xoshiro128** seeded by splitmix32', () => {
    for (const seed of [0, 1, 42, 0xdeadbeef]) {
      const rng = new Rng(seed);
      expect(Array.from({ length: 50 }, () => rng.nextUint32())).toEqual(referenceStream(seed, 50));
    }
  });

  it('repeats every draw for the same seed and differs across seeds', () => {
    const draw = (rng: Rng) => [rng.float(), rng.int(1000), rng.normal(), rng.normal(), ...rng.shuffle([1, 2, 3, 4, 5, 6]), ...rng.sampleWithoutReplacement(100, 5)];
    expect(draw(new Rng(7))).toEqual(draw(new Rng(7)));
    expect(draw(new Rng(7))).not.toEqual(draw(new Rng(8)));
  });

  it('forks streams by label, independent of how much the parent has drawn', () => {
    const a = new Rng(5);
    const early = a.fork('negatives').nextUint32();
    for (let i = 0; i < 10; i++) a.nextUint32();
    expect(a.fork('negatives').nextUint32()).toBe(early);
    expect(a.fork('dropout').nextUint32()).not.toBe(early);
    expect(new Rng(6).fork('negatives').nextUint32()).not.toBe(early);
  });
});

describe('Rng distributions (fixed seeds, chi-square at the 99.9% level)', () => {
  it('int(n) is the rejection-filtered uint32 stream mod n (the % of the spec, large n included)', () => {
    for (const n of [1, 3, 1682, 2 ** 31 - 1, 2 ** 31 + 1, 3 * 2 ** 30 + 7, 2 ** 32 - 1, 2 ** 32]) {
      const a = new Rng(17);
      const b = new Rng(17);
      const limit = 2 ** 32 - (2 ** 32 % n);
      for (let i = 0; i < 2000; i++) {
        let x = b.nextUint32();
        while (x >= limit) x = b.nextUint32();
        expect(a.int(n)).toBe(x % n);
      }
    }
  });

  it('int(n) is uniform, including a range that is not a power of two', () => {
    const rng = new Rng(100);
    for (const n of [10, 50]) {
      const counts = new Float64Array(n);
      for (let i = 0; i < 200_000; i++) counts[rng.int(n)]++;
      expect(chiSquare(counts)).toBeLessThan(CHI2_999[n - 1]);
    }
    expect(() => rng.int(0)).toThrow(/integer n in \[1, 2\^32\]/);
    expect(() => rng.int(2.5)).toThrow(/got 2.5/);
  });

  it('float() is uniform on [0, 1)', () => {
    const rng = new Rng(101);
    const counts = new Float64Array(20);
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = rng.float();
      if (!(x >= 0 && x < 1)) outside++;
      else counts[Math.floor(x * 20)]++;
    }
    expect(outside).toBe(0);
    expect(chiSquare(counts)).toBeLessThan(CHI2_999[19]);
  });

  it('normal() has mean 0, variance 1 and 68.3% within one sd', () => {
    const rng = new Rng(102);
    const n = 100_000;
    let sum = 0;
    let sq = 0;
    let within = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      sum += z;
      sq += z * z;
      if (Math.abs(z) < 1) within++;
    }
    expect(Math.abs(sum / n)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(sq / n - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
    expect(Math.abs(within / n - 0.6827)).toBeLessThan(4 * Math.sqrt((0.6827 * 0.3173) / n));
  });

  it('shuffle() is a permutation with every position equally likely', () => {
    const rng = new Rng(103);
    const counts = new Float64Array(5);
    let notPermutation = 0;
    for (let t = 0; t < 50_000; t++) {
      const a = rng.shuffle(Int32Array.from([0, 1, 2, 3, 4]));
      if (a.slice().sort().join() !== '0,1,2,3,4') notPermutation++;
      counts[a.indexOf(0)]++;
    }
    expect(notPermutation).toBe(0);
    expect(chiSquare(counts)).toBeLessThan(CHI2_999[4]);
  });

  it('intExcluding never returns an excluded id and is uniform over the rest', () => {
    const rng = new Rng(104);
    const n = 60;
    const sparse = Int32Array.from([3, 7, 8, 20, 59]); // rejection branch
    const dense = Int32Array.from({ length: 50 }, (_, i) => i + 5); // complement branch: 10 allowed
    for (const exclude of [sparse, new Set(sparse), dense, new Set(dense)]) {
      const has = new Set(exclude);
      const counts = new Float64Array(n);
      const bad: number[] = [];
      for (let t = 0; t < 30_000; t++) {
        const x = rng.intExcluding(n, exclude);
        if (has.has(x) || !(x >= 0 && x < n)) bad.push(x);
        else counts[x]++;
      }
      expect(bad).toEqual([]);
      const allowed = Array.from(counts).filter((_, i) => !has.has(i));
      expect(chiSquare(allowed)).toBeLessThan(CHI2_999[allowed.length - 1]);
    }
    expect(() => rng.intExcluding(3, [0, 1, 2])).toThrow(/every value is excluded/);
  });

  it('sampleWithoutReplacement draws distinct ids with equal inclusion rates', () => {
    const rng = new Rng(105);
    for (const [n, k] of [[10, 4], [1000, 5], [7, 7]]) {
      const inclusion = new Float64Array(n);
      let bad = 0;
      for (let t = 0; t < 5000; t++) {
        const s = rng.sampleWithoutReplacement(n, k);
        if (s.length !== k || new Set(s).size !== k) bad++;
        for (const x of s) {
          if (!(x >= 0 && x < n)) bad++;
          else inclusion[x]++;
        }
      }
      expect(bad).toBe(0);
      if (n === 10) expect(chiSquare(inclusion)).toBeLessThan(CHI2_999[9]);
    }
    expect(() => rng.sampleWithoutReplacement(3, 4)).toThrow(/cannot choose 4 of 3/);
    expect(() => rng.choice([])).toThrow(/empty/);
  });
});

describe('Rng state', () => {
  it('resumes a stream mid-run from a JSON round-trip of its state, spare normal draw included', () => {
    const rng = new Rng(11);
    for (let i = 0; i < 5; i++) rng.nextUint32();
    rng.normal(); // leaves a spare normal draw behind
    const saved = JSON.parse(JSON.stringify(rng.getState()));
    const expected = [rng.normal(), rng.nextUint32(), rng.float()];
    const resumed = new Rng(999);
    resumed.setState(saved);
    expect([resumed.normal(), resumed.nextUint32(), resumed.float()]).toEqual(expected);
    expect(saved.s.every((w: number) => w >= 0 && w <= 0xffffffff)).toBe(true);
    expect(() => resumed.setState({ s: [1, 2, 3], spareNormal: null } as never)).toThrow(/not an Rng state/);
    expect(() => resumed.setState({ s: [1, 2, 3, -4], spareNormal: null })).toThrow(/not an Rng state/);
  });
});

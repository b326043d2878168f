import { afterEach, describe, expect, it } from 'vitest';
import { Csr, kernelStats, Rng, scoreTopK, scoreTopKReference, setKernelSettings, topKBlock, type TopKResult } from '../src/index.js';

/** Top-k by a full sort: (score desc, id asc), NaN as -Infinity, masked ids dropped. */
function sortTopK(scores: ArrayLike<number>, rows: number, nCols: number, k: number, mask?: (r: number) => Set<number>) {
  const ids: number[][] = [];
  const vals: number[][] = [];
  for (let r = 0; r < rows; r++) {
    const excluded = mask?.(r) ?? new Set<number>();
    const cand: [number, number][] = [];
    for (let j = 0; j < nCols; j++) {
      if (excluded.has(j)) continue;
      const s = scores[r * nCols + j];
      cand.push([Number.isNaN(s) ? -Infinity : s, j]);
    }
    cand.sort((a, b) => (b[0] !== a[0] ? (b[0] > a[0] ? 1 : -1) : a[1] - b[1]));
    const top = cand.slice(0, k);
    ids.push([...top.map((c) => c[1]), ...new Array(k - top.length).fill(-1)]);
    vals.push([...top.map((c) => c[0]), ...new Array(k - top.length).fill(-Infinity)]);
  }
  return { ids, vals };
}

function expectSame(result: TopKResult, expected: { ids: number[][]; vals: number[][] }, k: number, tol = 0) {
  expected.ids.forEach((row, r) => {
    expect(Array.from(result.ids.subarray(r * k, (r + 1) * k))).toEqual(row);
    const got = Array.from(result.scores.subarray(r * k, (r + 1) * k));
    got.forEach((s, p) => {
      if (tol === 0 || !Number.isFinite(s)) expect(s).toBe(Math.fround(expected.vals[r][p]));
      else expect(Math.abs(s - expected.vals[r][p])).toBeLessThanOrEqual(tol);
    });
  });
}

function randomMask(rng: Rng, rows: number, nCols: number, perRow: number): Csr {
  const r: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < rows; i++) for (let t = 0; t < perRow; t++) {
    r.push(i);
    c.push(rng.int(nCols));
  }
  return Csr.fromCoo(rows, nCols, r, c);
}

const maskSets = (mask: Csr, rowIds?: Int32Array) => (r: number) => new Set(mask.row(rowIds ? rowIds[r] : r));

afterEach(() => {
  setKernelSettings({ wasm: true, threads: 2 });
});

describe('topKBlock', () => {
  const rng = new Rng(3);

  it('matches a full sort with ties (lower id first), masks and NaN', () => {
    const [rows, nCols, k] = [40, 300, 17];
    // few distinct values: many ties
    const scores = Float32Array.from({ length: rows * nCols }, () => (rng.float() < 0.02 ? NaN : rng.int(6)));
    const mask = randomMask(rng, rows, nCols, 50);
    const got = topKBlock(scores, rows, nCols, k, { exclude: mask });
    expectSame(got, sortTopK(scores, rows, nCols, k, maskSets(mask)), k);
  });

  it('uses rowIds to pick mask rows, pads with -1 when k exceeds the candidates', () => {
    const [rows, nCols, k] = [5, 8, 7];
    const scores = Float32Array.from({ length: rows * nCols }, () => rng.normal());
    const mask = randomMask(rng, 20, nCols, 3);
    const rowIds = Int32Array.from([19, 3, 3, 0, 12]);
    const got = topKBlock(scores, rows, nCols, k, { exclude: mask, rowIds });
    expectSame(got, sortTopK(scores, rows, nCols, k, maskSets(mask, rowIds)), k);
    expect(Array.from(topKBlock(scores, 1, nCols, 0).ids)).toEqual([]);
  });

  it('refuses a block shorter than rows x nCols', () => {
    expect(() => topKBlock(new Float32Array(5), 2, 3, 1)).toThrow(/5 scores for 2 x 3/);
  });
});

describe('scoreTopK', () => {
  const rng = new Rng(8);

  function problem(nUsers: number, nItems: number, dim: number, integer: boolean) {
    const draw = () => (integer ? rng.int(3) - 1 : rng.normal());
    const users = Float32Array.from({ length: nUsers * dim }, draw);
    const itemsT = Float32Array.from({ length: dim * nItems }, draw);
    const scores = new Float64Array(nUsers * nItems);
    for (let u = 0; u < nUsers; u++) for (let j = 0; j < nItems; j++) {
      let s = 0;
      for (let c = 0; c < dim; c++) s += users[u * dim + c] * itemsT[c * nItems + j];
      scores[u * nItems + j] = s;
    }
    return { users, itemsT, scores };
  }

  for (const threads of [1, 2]) {
    it(`matches score + full sort on tied integer scores over several tiles and blocks (${threads} thread(s))`, () => {
      setKernelSettings({ threads });
      // 150 users: two full blocks of 64 and a ragged one; 5000 items: tiles of 2048 and a ragged 904
      const [nUsers, nItems, dim, k] = [150, 5000, 32, 20];
      const { users, itemsT, scores } = problem(nUsers, nItems, dim, true);
      const exclude = randomMask(rng, nUsers, nItems, 200);
      const before = kernelStats();
      const got = scoreTopK({ users, itemsT, dim, nItems, k, exclude });
      const after = kernelStats();
      expect(after.kernelCalls).toBeGreaterThan(before.kernelCalls);
      expect(after.workerJobs > before.workerJobs).toBe(threads === 2);
      expectSame(got, sortTopK(scores, nUsers, nItems, k, maskSets(exclude)), k);
    });
  }

  it('matches on real-valued scores, with rowIds, and agrees with the reference path', () => {
    const [nUsers, nItems, dim, k] = [70, 3000, 24, 10];
    const { users, itemsT, scores } = problem(nUsers, nItems, dim, false);
    const exclude = randomMask(rng, 200, nItems, 100);
    const rowIds = Int32Array.from({ length: nUsers }, () => rng.int(200));
    const got = scoreTopK({ users, itemsT, dim, nItems, k, exclude, rowIds });
    expectSame(got, sortTopK(scores, nUsers, nItems, k, maskSets(exclude, rowIds)), k, 1e-4);
    const ref = scoreTopKReference({ users, itemsT, dim, nItems, k, exclude, rowIds });
    expect(Array.from(ref.ids)).toEqual(Array.from(got.ids));
  });

  it('ranks NaN scores last and pads with -1 when k exceeds the unmasked items', () => {
    const [nUsers, nItems, dim, k] = [64, 40, 32, 45];
    const { users, itemsT } = problem(nUsers, nItems, dim, true);
    for (let c = 0; c < dim; c++) itemsT[c * nItems + 7] = NaN; // item 7 scores NaN for everyone
    const scores = new Float64Array(nUsers * nItems);
    for (let u = 0; u < nUsers; u++) for (let j = 0; j < nItems; j++) {
      let s = 0;
      for (let c = 0; c < dim; c++) s += users[u * dim + c] * itemsT[c * nItems + j];
      scores[u * nItems + j] = s;
    }
    const exclude = randomMask(rng, nUsers, nItems, 4);
    const before = kernelStats().kernelCalls;
    const got = scoreTopK({ users, itemsT, dim, nItems, k, exclude });
    expect(kernelStats().kernelCalls).toBeGreaterThan(before);
    expectSame(got, sortTopK(scores, nUsers, nItems, k, maskSets(exclude)), k);
  });

  it('gives the reference answer with the kernels off and checks shapes', () => {
    setKernelSettings({ wasm: false });
    const [nUsers, nItems, dim, k] = [9, 50, 4, 5];
    const { users, itemsT, scores } = problem(nUsers, nItems, dim, true);
    expectSame(scoreTopK({ users, itemsT, dim, nItems, k }), sortTopK(scores, nUsers, nItems, k), k);
    expect(() => scoreTopK({ users, itemsT, dim: 5, nItems, k })).toThrow(/do not fit dim 5/);
  });
});

import { Csr, Rng, type CfSplit, type Scorer } from '@lmrec/core';

/** Random split (disjoint parts, or overlapping ones), with some users lacking targets. */
export function randomSplit(nUsers: number, nItems: number, seed: number, density = 0.15, overlap = false): CfSplit {
  const rng = new Rng(seed);
  const parts: number[][][] = [[], [], []];
  for (let u = 0; u < nUsers; u++) {
    const rows: number[][] = [[], [], []];
    for (let j = 0; j < nItems; j++) {
      if (overlap) {
        // parts drawn independently: an item can be in train and be a target too
        if (rng.float() < density * 0.7) rows[0].push(j);
        if (rng.float() < density * 0.15) rows[1].push(j);
        if (rng.float() < density * 0.15) rows[2].push(j);
      } else if (rng.float() < density) {
        const x = rng.float();
        rows[x < 0.7 ? 0 : x < 0.85 ? 1 : 2].push(j);
      }
    }
    if (u % 7 === 3) rows[2] = []; // users with no test targets
    if (u % 5 === 1) rows[1] = []; // users with no valid targets
    rows.forEach((r, p) => parts[p].push(r));
  }
  return {
    nUsers,
    nItems,
    train: Csr.fromRows(nItems, parts[0]),
    valid: Csr.fromRows(nItems, parts[1]),
    test: Csr.fromRows(nItems, parts[2]),
  };
}

/** Dense scorer over random factors; scores rounded to a coarse grid so ties happen. */
export function factorScorer(nUsers: number, nItems: number, dim: number, seed: number, withFactors: boolean): Scorer & { dense: Float32Array } {
  const rng = new Rng(seed);
  const users = new Float32Array(nUsers * dim).map(() => Math.round(rng.normal() * 2) / 2);
  const itemsT = new Float32Array(dim * nItems).map(() => Math.round(rng.normal() * 2) / 2);
  const dense = new Float32Array(nUsers * nItems);
  for (let u = 0; u < nUsers; u++) {
    for (let j = 0; j < nItems; j++) {
      let s = 0;
      for (let c = 0; c < dim; c++) s += users[u * dim + c] * itemsT[c * nItems + j];
      dense[u * nItems + j] = s;
    }
  }
  return {
    nItems,
    dense,
    scoreBlock(block: Int32Array) {
      const out = new Float32Array(block.length * nItems);
      block.forEach((u, r) => out.set(dense.subarray(u * nItems, (u + 1) * nItems), r * nItems));
      return out;
    },
    factors: withFactors ? () => ({ dim, users, itemsT }) : undefined,
  };
}

import { Csr, Rng, type CfSplit, type Scorer } from '@lmrec/core';

/**
 * Planted clusters: users of cluster c like items of cluster c with
 * probability pIn, other items with pOut. Each user's liked items are split
 * 70/15/15 into train/valid/test (at least one train item).
 */
export function plantedSplit(options: { users?: number; items?: number; clusters?: number; pIn?: number; pOut?: number; seed?: number } = {}): CfSplit {
  const nUsers = options.users ?? 120;
  const nItems = options.items ?? 80;
  const clusters = options.clusters ?? 4;
  const pIn = options.pIn ?? 0.35;
  const pOut = options.pOut ?? 0.02;
  const rng = new Rng(options.seed ?? 7);
  const train: number[][] = [];
  const valid: number[][] = [];
  const test: number[][] = [];
  for (let u = 0; u < nUsers; u++) {
    const c = u % clusters;
    const liked: number[] = [];
    for (let i = 0; i < nItems; i++) {
      // popular items (low ids) are liked a bit more by everyone, so Popularity is a real baseline
      const p = i % clusters === c ? pIn : pOut + (i < 8 ? 0.1 : 0);
      if (rng.float() < p) liked.push(i);
    }
    rng.shuffle(liked);
    const nTest = Math.floor(liked.length * 0.15);
    const nValid = Math.floor(liked.length * 0.15);
    test.push(liked.slice(0, nTest));
    valid.push(liked.slice(nTest, nTest + nValid));
    train.push(liked.slice(nTest + nValid));
  }
  return {
    nUsers,
    nItems,
    train: Csr.fromRows(nItems, train),
    valid: Csr.fromRows(nItems, valid),
    test: Csr.fromRows(nItems, test),
  };
}

/**
 * Independent brute-force Recall@K on VALID: full ranking, train and test
 * items masked (unless they are valid targets), ties to the lower id.
 */
export async function bruteRecall(scorer: Scorer, split: CfSplit, k: number, on: 'valid' | 'test' = 'valid'): Promise<number> {
  const targets = on === 'valid' ? split.valid : split.test;
  const other = on === 'valid' ? split.test : split.valid;
  let sum = 0;
  let n = 0;
  for (let u = 0; u < split.nUsers; u++) {
    const t = new Set(targets.row(u));
    if (t.size === 0) continue;
    const scores = await scorer.scoreBlock(Int32Array.of(u));
    const masked = new Set([...split.train.row(u), ...other.row(u)].filter((i) => !t.has(i)));
    const order = [...Array(split.nItems).keys()].filter((i) => !masked.has(i)).sort((a, b) => scores[b] - scores[a] || a - b);
    let hits = 0;
    for (const i of order.slice(0, k)) if (t.has(i)) hits++;
    sum += hits / t.size;
    n++;
  }
  return sum / n;
}

/** An evaluator with the @lmrec/eval contract shape, built on bruteRecall (tests only). */
export async function bruteEvaluator(scorer: Scorer, split: CfSplit, options: { on: 'valid' | 'test'; ks?: number[] }) {
  const metrics: Record<string, { mean: number; se: number }> = {};
  for (const k of options.ks ?? [10, 20]) metrics[`recall@${k}`] = { mean: await bruteRecall(scorer, split, k, options.on), se: 0 };
  return { n: split.nUsers, metrics };
}

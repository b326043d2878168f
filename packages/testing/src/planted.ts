import { Csr, Rng, type CfSplit, type Scorer } from '@lmrec/core';

export interface PlantedOptions {
  users?: number;
  items?: number;
  clusters?: number;
  /** Probability that a user likes an item of the own cluster. */
  pIn?: number;
  /** Probability that a user likes any other item (the 8 lowest ids get +0.1: a real popularity signal). */
  pOut?: number;
  seed?: number;
}

/**
 * Planted clusters: users of cluster c like items of cluster c with
 * probability pIn, other items with pOut. Each user's liked items are split
 * 70/15/15 into train/valid/test. Collaborative signal is strong and
 * Popularity is a weak but real baseline.
 */
export function plantedSplit(options: PlantedOptions = {}): CfSplit {
  const nUsers = options.users ?? 120;
  const nItems = options.items ?? 80;
  const clusters = options.clusters ?? 4;
  const pIn = options.pIn ?? 0.35;
  const pOut = options.pOut ?? 0.02;
  const rng = new Rng(options.seed ?? 7);
  const parts: number[][][] = [[], [], []];
  for (let u = 0; u < nUsers; u++) {
    const c = u % clusters;
    const liked: number[] = [];
    for (let i = 0; i < nItems; i++) if (rng.float() < (i % clusters === c ? pIn : pOut + (i < 8 ? 0.1 : 0))) liked.push(i);
    rng.shuffle(liked);
    const nTest = Math.floor(liked.length * 0.15);
    const nValid = Math.floor(liked.length * 0.15);
    parts[2].push(liked.slice(0, nTest));
    parts[1].push(liked.slice(nTest, nTest + nValid));
    parts[0].push(liked.slice(nTest + nValid));
  }
  const [train, valid, test] = parts.map((rows) => Csr.fromRows(nItems, rows));
  return { nUsers, nItems, train, valid, test };
}

/** Items scored by their train interaction count, the same for every user (the reference baseline). */
export function popularityScorer(split: CfSplit): Scorer {
  const counts = new Float32Array(split.nItems);
  for (const j of split.train.indices) counts[j]++;
  return {
    nItems: split.nItems,
    scoreBlock: (users) => {
      const out = new Float32Array(users.length * split.nItems);
      users.forEach((_, r) => out.set(counts, r * split.nItems));
      return out;
    },
  };
}

/**
 * Brute-force Recall@K: full ranking, the other splits' items masked unless
 * they are targets, ties to the lower item id, users without targets skipped.
 * Independent of @lmrec/eval on purpose.
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
  return n ? sum / n : 0;
}

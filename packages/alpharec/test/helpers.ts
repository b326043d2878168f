import { Csr, Rng, type CfSplit } from '@lmrec/core';

/** A split from per-user item lists. */
export function splitFromRows(nItems: number, train: number[][], valid?: number[][], test?: number[][]): CfSplit {
  const empty = train.map(() => [] as number[]);
  return {
    nUsers: train.length,
    nItems,
    train: Csr.fromRows(nItems, train),
    valid: Csr.fromRows(nItems, valid ?? empty),
    test: Csr.fromRows(nItems, test ?? empty),
  };
}

export function randomArray(rng: Rng, n: number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (2 * rng.float() - 1) * scale;
  return out;
}

export interface Planted {
  split: CfSplit;
  /** Informative item vectors: the item's taste cluster plus noise. */
  items: Float32Array;
  dim: number;
  cluster: Int32Array;
  centres: Float32Array;
}

/**
 * Users each like one of `nClusters` tastes; each item belongs to a cluster
 * and its "text" vector is the cluster centre plus noise. A user's train /
 * valid / test items are drawn from the own cluster (mostly) and anywhere
 * (rarely), so item text predicts taste.
 */
export function plantedDataset(seed: number, opts: { nUsers?: number; nItems?: number; nClusters?: number; dim?: number; perUser?: number; noise?: number; offTaste?: number; centres?: Float32Array } = {}): Planted {
  const rng = new Rng(seed);
  const nUsers = opts.nUsers ?? 120;
  const nItems = opts.nItems ?? 80;
  const nClusters = opts.nClusters ?? 4;
  const dim = opts.dim ?? 16;
  const perUser = opts.perUser ?? 10;
  const noise = opts.noise ?? 0.3;
  const offTaste = opts.offTaste ?? 0.1;
  const centres = opts.centres ?? randomArray(rng, nClusters * dim);
  const cluster = new Int32Array(nItems);
  for (let j = 0; j < nItems; j++) cluster[j] = j % nClusters;
  const items = new Float32Array(nItems * dim);
  for (let j = 0; j < nItems; j++) for (let t = 0; t < dim; t++) items[j * dim + t] = centres[cluster[j] * dim + t] + noise * rng.normal();
  const byCluster: number[][] = Array.from({ length: nClusters }, () => []);
  for (let j = 0; j < nItems; j++) byCluster[cluster[j]].push(j);
  const train: number[][] = [];
  const valid: number[][] = [];
  const test: number[][] = [];
  for (let u = 0; u < nUsers; u++) {
    const taste = u % nClusters;
    const chosen = new Set<number>();
    while (chosen.size < perUser) {
      const pool = rng.float() < offTaste ? null : byCluster[taste];
      chosen.add(pool ? rng.choice(pool) : rng.int(nItems));
    }
    const list = rng.shuffle([...chosen]);
    test.push(list.slice(0, 2));
    valid.push(list.slice(2, 4));
    train.push(list.slice(4));
  }
  return { split: splitFromRows(nItems, train, valid, test), items, dim, cluster, centres };
}

/** A TextEncoder over a fixed text -> vector table (tests only). */
export function tableEncoder(dim: number, table: Map<string, Float32Array>) {
  return {
    id: 'test-table',
    dim,
    async encode(texts: readonly string[]): Promise<Float32Array[]> {
      return texts.map((t) => {
        const v = table.get(t);
        if (!v) throw new Error(`unknown text ${t}`);
        return v;
      });
    },
  };
}

import { Csr, normalizedAdjacency, type Rng } from '@lmrec/core';

/** SGL's three graph augmentations (Wu et al. 2021, section 3.1). */
export type Augmentation = 'edge' | 'node' | 'walk';

/** The train interactions with each edge kept with probability 1 - rate (SGL-ED). */
export function dropEdges(train: Csr, rate: number, rng: Rng): Csr {
  return keepEdges(train, () => rng.float() >= rate);
}

/**
 * The train interactions without the edges of dropped nodes (SGL-ND): every
 * user and every item is dropped with probability `rate`, with all its edges.
 */
export function dropNodes(train: Csr, rate: number, rng: Rng): Csr {
  const users = keepMask(train.nRows, rate, rng);
  const items = keepMask(train.nCols, rate, rng);
  return keepEdges(train, (u, j) => users[u] === 1 && items[j] === 1);
}

function keepMask(n: number, rate: number, rng: Rng): Uint8Array {
  const keep = new Uint8Array(n);
  for (let i = 0; i < n; i++) keep[i] = rng.float() >= rate ? 1 : 0;
  return keep;
}

function keepEdges(train: Csr, keep: (row: number, col: number) => boolean): Csr {
  const indptr = new Int32Array(train.nRows + 1);
  const indices: number[] = [];
  for (let u = 0; u < train.nRows; u++) {
    for (const j of train.row(u)) if (keep(u, j)) indices.push(j);
    indptr[u + 1] = indices.length;
  }
  return new Csr(train.nRows, train.nCols, indptr, Int32Array.from(indices));
}

/**
 * One augmented view as the normalised adjacency of each propagation layer:
 * node and edge dropout use one subgraph for all layers, the random walk
 * (SGL-RW) an independent edge dropout per layer.
 */
export function augmentedView(train: Csr, kind: Augmentation, rate: number, layers: number, rng: Rng): Csr[] {
  if (kind === 'walk') return Array.from({ length: layers }, (_, l) => normalizedAdjacency(dropEdges(train, rate, rng.fork(`layer:${l}`))));
  const adj = normalizedAdjacency(kind === 'edge' ? dropEdges(train, rate, rng) : dropNodes(train, rate, rng));
  return Array.from({ length: layers }, () => adj);
}

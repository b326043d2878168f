/**
 * The catalogues the vectors and serve benchmarks share:
 * - `ml100k`: ../shared/data/ml100k-cf (938 users x 1,447 items, positives of
 *   ML-100K) with a plain-JS BPR-MF (d = 64, 20 epochs, seeded) trained on its
 *   train split: real, structured vectors; seen = train items. Falls back to
 *   random vectors of ML-100K's shape (943 x 1,682) when ../shared is absent.
 * - `synthetic`: N items (default 1M) x 64 from a Gaussian mixture (1,000
 *   centres, noise 0.5 per dim), 1,000 users near random centres, 10 seen
 *   items each. Not a real catalogue; mixture structure, as real item
 *   vectors have, rather than isotropic noise (the worst case for HNSW).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Csr, Rng } from '@lmrec/core';
import { sharedData } from '../bench-utils.js';

export interface Catalogue {
  name: string;
  source: string;
  dim: number;
  nItems: number;
  nUsers: number;
  itemsT: Float32Array;
  users: Float32Array;
  seen: Csr;
  titles: string[];
}

export const DIM = 64;

export function ml100k(): Catalogue {
  const dir = sharedData('ml100k-cf');
  if (!dir) return randomCatalogue('ml100k-shaped random', 943, 1682, 1);
  const rows = readFileSync(join(dir, 'cf_data', 'train.txt'), 'utf8').trim().split('\n').map((l) => l.trim().split(/\s+/).slice(1).map(Number));
  const items = readFileSync(join(dir, 'item_map.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')[2].split(' | ')[0]);
  const seen = Csr.fromRows(items.length, rows);
  const { users, itemsT } = trainBpr(seen, DIM, 20, new Rng(2024));
  return { name: 'ML-100K (ml100k-cf, BPR-MF)', source: 'ml100k-cf train split, plain-JS BPR-MF d=64, 20 epochs', dim: DIM, nItems: items.length, nUsers: rows.length, itemsT, users, seen, titles: items };
}

export function synthetic(nItems = 1_000_000, seed = 7): Catalogue {
  const rng = new Rng(seed);
  const nCentres = 1000;
  const centres = Float32Array.from({ length: nCentres * DIM }, () => rng.normal());
  const itemsT = new Float32Array(DIM * nItems);
  for (let j = 0; j < nItems; j++) {
    const c = rng.int(nCentres) * DIM;
    for (let t = 0; t < DIM; t++) itemsT[t * nItems + j] = centres[c + t] + 0.5 * rng.normal();
  }
  const nUsers = 1000;
  const users = new Float32Array(nUsers * DIM);
  for (let u = 0; u < nUsers; u++) {
    const c = rng.int(nCentres) * DIM;
    for (let t = 0; t < DIM; t++) users[u * DIM + t] = centres[c + t] + rng.normal();
  }
  const seen = Csr.fromRows(nItems, Array.from({ length: nUsers }, () => Array.from(rng.sampleWithoutReplacement(nItems, 10))));
  const titles = Array.from({ length: nItems }, (_, j) => `item ${j}`);
  return { name: `synthetic ${nItems.toLocaleString('en-US')}`, source: `Gaussian mixture, 1,000 centres, seed ${seed}`, dim: DIM, nItems, nUsers, itemsT, users, seen, titles };
}

function randomCatalogue(name: string, nUsers: number, nItems: number, seed: number): Catalogue {
  const rng = new Rng(seed);
  const itemsT = Float32Array.from({ length: DIM * nItems }, () => rng.normal());
  const users = Float32Array.from({ length: DIM * nUsers }, () => rng.normal());
  const seen = Csr.fromRows(nItems, Array.from({ length: nUsers }, () => Array.from(rng.sampleWithoutReplacement(nItems, 20 + rng.int(80)))));
  return { name, source: `random normal, seed ${seed} (../shared absent)`, dim: DIM, nItems, nUsers, itemsT, users, seen, titles: Array.from({ length: nItems }, (_, j) => `item ${j}`) };
}

/** BPR-MF by SGD, one sampled negative per positive; returns U [nU, d] and V^T [d, nI]. */
function trainBpr(train: Csr, dim: number, epochs: number, rng: Rng): { users: Float32Array; itemsT: Float32Array } {
  const nU = train.nRows;
  const nI = train.nCols;
  const U = Float32Array.from({ length: nU * dim }, () => 0.1 * rng.normal());
  const V = Float32Array.from({ length: nI * dim }, () => 0.1 * rng.normal());
  const lr = 0.05;
  const reg = 1e-4;
  for (let e = 0; e < epochs; e++) {
    for (let s = 0; s < train.nnz; s++) {
      const u = rng.int(nU);
      const row = train.row(u);
      if (row.length === 0) continue;
      const i = row[rng.int(row.length)];
      const j = rng.intExcluding(nI, row);
      let x = 0;
      for (let t = 0; t < dim; t++) x += U[u * dim + t] * (V[i * dim + t] - V[j * dim + t]);
      const g = 1 / (1 + Math.exp(x)); // d/dx log sigmoid(x)
      for (let t = 0; t < dim; t++) {
        const uu = U[u * dim + t];
        const vi = V[i * dim + t];
        const vj = V[j * dim + t];
        U[u * dim + t] += lr * (g * (vi - vj) - reg * uu);
        V[i * dim + t] += lr * (g * uu - reg * vi);
        V[j * dim + t] += lr * (-g * uu - reg * vj);
      }
    }
  }
  const itemsT = new Float32Array(dim * nI);
  for (let j = 0; j < nI; j++) for (let t = 0; t < dim; t++) itemsT[t * nI + j] = V[j * dim + t];
  return { users: U, itemsT };
}

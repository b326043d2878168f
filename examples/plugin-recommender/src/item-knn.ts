import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { Csr, LmrecError, writeJsonAtomic, type CfSplit, type FitOptions, type Recommender } from '@lmrec/core';

export interface ItemKnnConfig {
  /** Most similar items kept per item. Default 50. */
  neighbours?: number;
  /** Cosine shrinkage. Default 0. */
  shrink?: number;
}

interface Saved {
  model: 'item-knn';
  config: Required<ItemKnnConfig>;
  nItems: number;
  train: { indptr: number[]; indices: number[] };
  neighbours: { ids: number[]; sims: number[] };
}

/**
 * Item-based kNN: sim(i, j) = |U_i n U_j| / (sqrt(|U_i| |U_j|) + shrink)
 * over the train users, the k most similar items kept per item, and
 * score(u, j) = sum of sim(i, j) over the items i of u. Deterministic: no seed.
 */
export class ItemKnn implements Recommender {
  readonly name = 'item-knn';
  readonly config: Required<ItemKnnConfig>;
  nItems = 0;
  private train?: Csr;
  /** Per item: its neighbours' ids and similarities, k of them (row-major [nItems, k], id -1 = none). */
  private ids = new Int32Array(0);
  private sims = new Float32Array(0);

  constructor(config: ItemKnnConfig = {}) {
    this.config = { neighbours: config.neighbours ?? 50, shrink: config.shrink ?? 0 };
  }

  async fit(data: CfSplit, _options: FitOptions = {}): Promise<{ epochs: number }> {
    this.nItems = data.nItems;
    this.train = data.train;
    const { neighbours: k, shrink } = this.config;
    const users = columnsOf(data.train);
    this.ids = new Int32Array(data.nItems * k).fill(-1);
    this.sims = new Float32Array(data.nItems * k);
    const co = new Float64Array(data.nItems);
    for (let i = 0; i < data.nItems; i++) {
      co.fill(0);
      for (const u of users[i]) for (const j of data.train.row(u)) if (j !== i) co[j]++;
      const ranked: [number, number][] = [];
      for (let j = 0; j < data.nItems; j++) if (co[j] > 0) ranked.push([j, co[j] / (Math.sqrt(users[i].length * users[j].length) + shrink)]);
      ranked.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
      ranked.slice(0, k).forEach(([j, s], r) => {
        this.ids[i * k + r] = j;
        this.sims[i * k + r] = s;
      });
    }
    return { epochs: 0 };
  }

  /** Scores of users known only by their items (conversations, new users). */
  scoreHistories(histories: readonly Int32Array[]): Float32Array {
    this.ready();
    const k = this.config.neighbours;
    const out = new Float32Array(histories.length * this.nItems);
    histories.forEach((history, r) => {
      for (const i of new Set(history)) {
        if (!(Number.isInteger(i) && i >= 0 && i < this.nItems)) throw new LmrecError('E_RANGE', `item-knn: item ${i} is not in [0, ${this.nItems})`, { field: 'history' });
        for (let n = 0; n < k && this.ids[i * k + n] >= 0; n++) out[r * this.nItems + this.ids[i * k + n]] += this.sims[i * k + n];
      }
    });
    return out;
  }

  scoreBlock(users: Int32Array): Float32Array {
    const train = this.ready();
    return this.scoreHistories(Array.from(users, (u) => train.row(u)));
  }

  async save(dir: string): Promise<void> {
    const train = this.ready();
    const saved: Saved = {
      model: 'item-knn',
      config: this.config,
      nItems: this.nItems,
      train: { indptr: Array.from(train.indptr), indices: Array.from(train.indices) },
      neighbours: { ids: Array.from(this.ids), sims: Array.from(this.sims) },
    };
    await fs.mkdir(dir, { recursive: true });
    await writeJsonAtomic(join(dir, 'item-knn.json'), saved);
  }

  async load(dir: string): Promise<void> {
    const file = join(dir, 'item-knn.json');
    let saved: Saved;
    try {
      saved = JSON.parse(await fs.readFile(file, 'utf8'));
    } catch (error) {
      throw new LmrecError('E_IO', `cannot read the saved item-knn model: ${(error as Error).message}`, { file });
    }
    if (saved.model !== 'item-knn') throw new LmrecError('E_STATE', `saved model is "${saved.model}", not "item-knn"`, { file, field: 'model' });
    Object.assign(this.config, saved.config);
    this.nItems = saved.nItems;
    this.train = new Csr(saved.train.indptr.length - 1, saved.nItems, Int32Array.from(saved.train.indptr), Int32Array.from(saved.train.indices));
    this.ids = Int32Array.from(saved.neighbours.ids);
    this.sims = Float32Array.from(saved.neighbours.sims);
  }

  private ready(): Csr {
    if (!this.train) throw new LmrecError('E_STATE', 'item-knn is not fitted or loaded', { hint: 'call fit() or load() first' });
    return this.train;
  }
}

/** Users of each item (the transpose of the train matrix). */
function columnsOf(train: Csr): number[][] {
  const users: number[][] = Array.from({ length: train.nCols }, () => []);
  for (let u = 0; u < train.nRows; u++) for (const j of train.row(u)) users[j].push(u);
  return users;
}

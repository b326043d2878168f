import { Csr, type Backbone, type DatasetLoader, type DialogueTurn, type EncodeOptions, type Metric, type TextEncoder } from '@lmrec/core';

// Small, correct implementations of the data-side extension points, with
// switches that plant one bug each (see reference-models.ts).

function hash(text: string, seed = 0): number {
  let h = 2166136261 ^ seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

export interface EncoderBugs {
  /** Hands out its cached rows, so a caller's change corrupts later results. */
  sharedRows?: boolean;
  /** Rows depend on the batch size. */
  batchDependent?: boolean;
  /** Never checks the abort signal. */
  ignoreAbort?: boolean;
}

/** Character-trigram counts hashed into `dim` buckets, L2-normalised. */
export class TrigramEncoder implements TextEncoder {
  readonly id = 'trigram(dim=16)';
  readonly dim = 16;
  private cache = new Map<string, Float32Array>();

  constructor(private readonly bugs: EncoderBugs = {}) {}

  private row(text: string, batch: number): Float32Array {
    const cached = this.cache.get(text);
    if (cached && !this.bugs.batchDependent) return this.bugs.sharedRows ? cached : cached.slice();
    const v = new Float32Array(this.dim);
    const padded = `  ${text} `;
    for (let i = 0; i + 3 <= padded.length; i++) v[hash(padded.slice(i, i + 3)) % this.dim] += 1;
    if (this.bugs.batchDependent) v[0] += batch;
    const norm = Math.hypot(...v) || 1;
    for (let i = 0; i < v.length; i++) v[i] /= norm;
    this.cache.set(text, v);
    return this.bugs.sharedRows ? v : v.slice();
  }

  async encode(texts: readonly string[], options: EncodeOptions = {}): Promise<Float32Array[]> {
    const batchSize = options.batchSize ?? 4;
    const task = options.progress?.start('trigram', texts.length);
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += batchSize) {
      if (!this.bugs.ignoreAbort) options.signal?.throwIfAborted();
      const batch = texts.slice(i, i + batchSize);
      out.push(...batch.map((t) => this.row(t, batch.length)));
      task?.tick(batch.length);
      await Promise.resolve();
    }
    task?.end();
    return out;
  }
}

/** Words hashed into a 64-row table; a context vector is the mean of its words' rows. */
export class HashBackbone implements Backbone {
  readonly id = 'hash-backbone';
  readonly dim = 8;
  constructor(private readonly bugs: { batchDependent?: boolean } = {}) {}

  private tableRow(id: number): Float32Array {
    return Float32Array.from({ length: this.dim }, (_, k) => ((hash(String(id), k) % 1000) / 1000) - 0.5);
  }

  async tokenize(titles: readonly string[]): Promise<number[][]> {
    return titles.map((t) => t.toLowerCase().split(/\W+/).filter(Boolean).map((w) => hash(w) % 64));
  }

  async tokenEmbeddings(ids: readonly number[]): Promise<Float32Array> {
    const out = new Float32Array(ids.length * this.dim);
    ids.forEach((id, r) => out.set(this.tableRow(id), r * this.dim));
    return out;
  }

  async contextVectors(contexts: readonly (readonly DialogueTurn[])[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (const turns of contexts) {
      const [ids] = await this.tokenize([turns.map((t) => t.text).join(' ')]);
      const v = new Float32Array(this.dim);
      const rows = await this.tokenEmbeddings(ids);
      for (let i = 0; i < rows.length; i++) v[i % this.dim] += rows[i] / Math.max(ids.length, 1);
      if (this.bugs.batchDependent) v[0] += contexts.length;
      out.push(v);
    }
    return out;
  }
}

/** Recall@K; `readsBeyondK` counts every hit of the list instead. */
export class RefRecall implements Metric {
  readonly name = 'recall';
  constructor(private readonly readsBeyondK = false) {}
  compute(hits: Uint8Array, nTargets: number, k: number): number {
    const n = this.readsBeyondK ? hits.length : Math.min(k, hits.length);
    let h = 0;
    for (let p = 0; p < n; p++) h += hits[p];
    return nTargets > 0 ? Math.min(1, h / nTargets) : 0;
  }
}

export interface LoaderBugs {
  /** Row 1's item ids come out unsorted. */
  unsorted?: boolean;
  /** A row names item 3 of a 3-item catalogue. */
  outOfRange?: boolean;
  /** Item ids change on every load. */
  unstable?: boolean;
}

let loads = 0;

/** Three users over three items, in memory. */
export class TinyLoader implements DatasetLoader {
  readonly name = 'tiny';
  constructor(private readonly bugs: LoaderBugs = {}) {}

  async load() {
    const rows = [[0, 2], this.bugs.unsorted ? [2, 1] : [1, 2], this.bugs.outOfRange ? [3] : [0]];
    const indptr = Int32Array.of(0, 2, 4, 5);
    const interactions = new Csr(3, 3, indptr, Int32Array.from(rows.flat()));
    const idMap = (ids: string[]) => ({ size: ids.length, ids, index: (id: string) => (ids.includes(id) ? ids.indexOf(id) : undefined) });
    const itemIds = this.bugs.unstable ? ['a', 'b', `c${loads++}`] : ['a', 'b', 'c'];
    return { name: 'tiny', users: idMap(['u1', 'u2', 'u3']), items: { ...idMap(itemIds), titles: ['A', 'B', 'C'] }, interactions };
  }
}

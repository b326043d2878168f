import { LmrecError, Rng, type Backbone, type DialogueTurn } from '@lmrec/core';
import { hashToken, lexicalTokens } from '@lmrec/encoders';

export interface LexicalBackboneOptions {
  /** Embedding width d. Default 256. */
  dim?: number;
  /** Hash buckets = token vocabulary size, 2^vocabBits. Default 18. */
  vocabBits?: number;
  /** Seed of the hash and of the random token table. */
  seed?: number;
  /** Weight of a turn k turns before the end of the context: decay^k. Default 0.8. */
  recencyDecay?: number;
  /**
   * Norm of the context vector q. Default 1. RTA's logits are plain dot
   * products (no temperature), so this is the inverse temperature of the
   * reindex softmax: ~20 trains well (with 1 the loss stays near ln(N + 1)).
   */
  queryScale?: number;
}

/**
 * Offline stand-in for an LLM backbone (NOT a language model): words from the
 * encoders package's `lexicalTokens` are hashed (murmur3, `hashToken`) into
 * 2^vocabBits ids; each id's embedding row is a seeded Gaussian vector
 * (N(0, 1/d), drawn from core's Rng forked by the id), so distinct words are
 * nearly orthogonal. The context vector q is the IDF- and recency-weighted
 * sum of the context's token rows, L2-normalised (times `queryScale`), in the
 * same space: with the `sum` aggregator, q . v counts (weighted) words shared
 * by the context and the title. Lets the whole RTA pipeline run with no model.
 */
export class LexicalBackbone implements Backbone {
  readonly dim: number;
  readonly vocabSize: number;
  readonly seed: number;
  readonly recencyDecay: number;
  readonly queryScale: number;
  private readonly rows = new Map<number, Float32Array>();
  private idf: Map<number, number> | undefined;
  private defaultIdf = 1;

  constructor(options: LexicalBackboneOptions = {}) {
    this.dim = options.dim ?? 256;
    const bits = options.vocabBits ?? 18;
    if (!(Number.isInteger(bits) && bits >= 1 && bits <= 30)) throw new LmrecError('E_ARGUMENT', `vocabBits must be an integer in [1, 30], got ${bits}`, { field: 'vocabBits' });
    this.vocabSize = 2 ** bits;
    this.seed = options.seed ?? 0;
    this.recencyDecay = options.recencyDecay ?? 0.8;
    this.queryScale = options.queryScale ?? 1;
  }

  get id(): string {
    return `lexical-backbone:d=${this.dim}:vocab=${this.vocabSize}:seed=${this.seed}:decay=${this.recencyDecay}:scale=${this.queryScale}:idf=${this.idf ? this.idf.size : 'none'}`;
  }

  /** Token id of each word of a text. */
  tokenIds(text: string): number[] {
    return lexicalTokens(text).map((t) => hashToken(t, this.seed) & (this.vocabSize - 1));
  }

  /**
   * IDF from a corpus (scikit-learn smoothing: ln((1 + n) / (1 + df)) + 1);
   * unseen ids get the IDF of df = 0. Without fit every weight is 1.
   */
  fit(corpus: readonly string[]): void {
    const df = new Map<number, number>();
    for (const text of corpus) for (const id of new Set(this.tokenIds(text))) df.set(id, (df.get(id) ?? 0) + 1);
    const n = corpus.length;
    this.idf = new Map([...df].map(([id, c]) => [id, Math.log((1 + n) / (1 + c)) + 1]));
    this.defaultIdf = Math.log(1 + n) + 1;
  }

  async contextVectors(contexts: readonly (readonly DialogueTurn[])[]): Promise<Float32Array[]> {
    return contexts.map((turns) => this.contextVector(turns));
  }

  contextVector(turns: readonly DialogueTurn[]): Float32Array {
    const q = new Float32Array(this.dim);
    turns.forEach((turn, t) => {
      const w = this.recencyDecay ** (turns.length - 1 - t);
      for (const id of this.tokenIds(turn.text)) {
        const row = this.row(id);
        const weight = w * (this.idf ? (this.idf.get(id) ?? this.defaultIdf) : 1);
        for (let j = 0; j < this.dim; j++) q[j] += weight * row[j];
      }
    });
    let norm = 0;
    for (let j = 0; j < this.dim; j++) norm += q[j] * q[j];
    norm = Math.sqrt(norm);
    if (norm > 0) for (let j = 0; j < this.dim; j++) q[j] *= this.queryScale / norm;
    return q;
  }

  async tokenize(titles: readonly string[]): Promise<number[][]> {
    return titles.map((t) => this.tokenIds(t));
  }

  async tokenEmbeddings(ids: readonly number[]): Promise<Float32Array> {
    const out = new Float32Array(ids.length * this.dim);
    ids.forEach((id, i) => {
      if (!(Number.isInteger(id) && id >= 0 && id < this.vocabSize)) throw new LmrecError('E_RANGE', `token id ${id} is outside [0, ${this.vocabSize})`);
      out.set(this.row(id), i * this.dim);
    });
    return out;
  }

  /** Row of the (virtual) [vocabSize, d] table, generated from the seed on first use. */
  private row(id: number): Float32Array {
    let r = this.rows.get(id);
    if (!r) {
      const rng = new Rng(this.seed).fork(`token:${id}`);
      r = new Float32Array(this.dim);
      const s = 1 / Math.sqrt(this.dim);
      for (let j = 0; j < this.dim; j++) r[j] = rng.normal() * s;
      this.rows.set(id, r);
    }
    return r;
  }
}

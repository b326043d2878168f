import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import {
  Csr,
  LmrecError,
  parseSafetensors,
  Rng,
  tf,
  topKBlock,
  writeJsonAtomic,
  writeSafetensors,
  type CfSplit,
  type FitOptions,
  type ProgressReporter,
  type Recommender,
  type SafeTensor,
  type TextEncoder,
} from '@lmrec/core';
import { evaluateFullRanking } from '@lmrec/eval';
import { Trainer, type EpochRecord, type Evaluator, type TrainResult } from '@lmrec/recsys';
import type { LossKernel } from './infonce.js';
import { Mapping, mapRows, type MappingKind } from './mapping.js';
import { AlphaRecNet, type AlphaRecNetConfig } from './model.js';
import { CosineScorer, normalizeRowsInPlace, scoreVectors } from './scorer.js';
import { historyMean, type ItemEmbeddings } from './user-vectors.js';
import { mlpWidth, type WidthOptions } from './width.js';

/** Model and training settings (all serialisable; saved with the model). */
export interface AlphaRecConfig extends WidthOptions {
  /** 'mlp' (AlphaRec) or 'linear' (`Linear(d, out, bias=False)`, the paper's linear mapping). */
  mapping?: MappingKind;
  /** Graph convolution layers L. Default 2 (MLP), 0 (linear). */
  layers?: number;
  /** Output dimension. Default 64. */
  outDim?: number;
  /** LeakyReLU slope. Default 0.01. */
  slope?: number;
  /** InfoNCE temperature. Default 0.15. */
  tau?: number;
  /** Negatives per (user, positive), with replacement. Default 256. */
  negatives?: number;
  /** Loss kernel (same numbers either way). Default 'auto'. */
  lossKernel?: LossKernel;
  lr?: number;
  batchSize?: number;
  epochs?: number;
  evalEvery?: number;
  /** Evaluations without gain before stopping. Default 20. */
  patience?: number;
  /** Selection metric. Default "recall@20". */
  metric?: string;
  /**
   * Split the epoch is selected on. 'valid' (default, leak-free). 'test'
   * reproduces the reference code, which selects on TEST: a leak, offered
   * only to reproduce published numbers; the fit result is labelled.
   */
  selectOn?: 'valid' | 'test';
}

export interface AlphaRecOptions extends AlphaRecConfig {
  /** Frozen item language vectors, row i = item i. Needed before fit (or use `load`). */
  itemEmbeddings?: ItemEmbeddings;
  /** Encoder of the item vectors; needed for new items from text and for intentions. */
  encoder?: TextEncoder;
  /** Negative item range per user (multi-domain training, see `trainMultiDomain`). Not saved. */
  itemRange?: (user: number) => readonly [number, number];
}

export type AlphaRecFitOptions = FitOptions &
  AlphaRecConfig & {
    checkpointDir?: string;
    resume?: boolean;
    checkpointEvery?: number;
    logPath?: string;
    signal?: AbortSignal;
    onEpochEnd?: (record: EpochRecord) => void | boolean | Promise<void | boolean>;
    progress?: ProgressReporter;
  };

export type AlphaRecFitResult = TrainResult & { selectedOn: 'valid' | 'test'; warning?: string };

export interface Recommendation {
  items: Int32Array;
  scores: Float32Array;
}

export interface RecommendRequest {
  /** A known user (dense id)... */
  user?: number;
  /** ...or a new user's item history (dense item ids). */
  history?: ArrayLike<number>;
  /** Free-text intention, mixed in with weight alpha. */
  intention?: string;
  /** 0 = history only, 1 = intention only. Default 0.5 when an intention is given. */
  alpha?: number;
  /** Default 20. */
  k?: number;
  /** Leave out the history / the user's train items. Default true. */
  excludeSeen?: boolean;
}

const DEFAULTS = { outDim: 64, slope: 0.01, tau: 0.15, negatives: 256, lossKernel: 'auto' as LossKernel, lr: 5e-4, batchSize: 4096, epochs: 500, evalEvery: 5, patience: 20, metric: 'recall@20' };

export const LEAK_WARNING = 'epoch selected on TEST (reference-code protocol): test metrics are optimistically biased; use selectOn: "valid" for honest numbers';

/**
 * AlphaRec (Sheng et al., ICLR 2025): frozen language-model item vectors,
 * user vectors as the mean of their train items, a shared MLP into a 64-d
 * space, LightGCN propagation (layer mean incl. layer 0), cosine scores,
 * InfoNCE with in-domain sampled negatives; trained by the recsys Trainer
 * (Adam, valid-only selection, early stopping, checkpoints, resume).
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

  /** The network settings this model trains with. */
  netConfig(over: AlphaRecConfig = {}): AlphaRecNetConfig {
    const c = { ...this.config, ...over };
    const mapping = c.mapping ?? 'mlp';
    const items = this.requireItems();
    return {
      mapping,
      hidden: mapping === 'mlp' ? mlpWidth(items.dim, c) : 0,
      outDim: c.outDim ?? DEFAULTS.outDim,
      slope: c.slope ?? DEFAULTS.slope,
      layers: c.layers ?? (mapping === 'mlp' ? 2 : 0),
      tau: c.tau ?? DEFAULTS.tau,
      negatives: c.negatives ?? DEFAULTS.negatives,
      lossKernel: c.lossKernel ?? DEFAULTS.lossKernel,
      itemRange: this.itemRange,
    };
  }

  async fit(split: CfSplit, options: AlphaRecFitOptions = {}): Promise<AlphaRecFitResult> {
    const { seed, progress, checkpointDir, resume, checkpointEvery, logPath, signal, onEpochEnd, ...rest } = options;
    const modelKeys = ['hidden', 'multiplier', 'mapping', 'layers', 'outDim', 'slope', 'tau', 'negatives', 'lossKernel'] as const;
    for (const key of modelKeys) if ((rest as Record<string, unknown>)[key] !== undefined) (this.config as Record<string, unknown>)[key] = (rest as Record<string, unknown>)[key];
    const c: AlphaRecConfig = { ...this.config, ...rest };
    const selectOn = c.selectOn ?? 'valid';
    this.disposeNet();
    const net = new AlphaRecNet(this.requireItems(), this.netConfig(), this.name);
    this.net = net;
    this.train = split.train;
    const evaluator: Evaluator | undefined =
      // selection needs the ranking metrics only: skip the list-level diagnostics (coverage, gini, ...)
      selectOn === 'test'
        ? (scorer, s, o) => evaluateFullRanking(scorer, s, { ...o, on: 'test', aggregates: false })
        : (scorer, s, o) => evaluateFullRanking(scorer, s, { ...o, aggregates: false });
    if (selectOn === 'test') progress?.log?.(`warning: ${LEAK_WARNING}`);
    const trainer = new Trainer({
      epochs: c.epochs ?? DEFAULTS.epochs,
      batchSize: c.batchSize ?? DEFAULTS.batchSize,
      evalEvery: c.evalEvery ?? DEFAULTS.evalEvery,
      patience: c.patience ?? DEFAULTS.patience,
      metric: c.metric ?? DEFAULTS.metric,
      optimizer: { name: 'adam', lr: c.lr ?? DEFAULTS.lr },
      seed: seed ?? 2024,
      evaluator,
      checkpointDir,
      resume,
      checkpointEvery,
      logPath,
      signal,
      onEpochEnd,
      progress,
    });
    const model = {
      name: this.name,
      init: (s: CfSplit, rng: Rng) => net.init(s, rng),
      trainableVariables: () => net.trainableVariables(),
      loss: (batch: Parameters<AlphaRecNet['loss']>[0]) => net.loss(batch),
      sampler: (s: CfSplit) => net.sampler(s),
      scorer: () => net.scorer(),
      state: () => net.state(),
      loadState: (state: Record<string, tf.Tensor>) => net.loadState(state),
    };
    const result = await trainer.fit(model, split);
    this.cache = undefined;
    this.lastFit = { ...result, selectedOn: selectOn, ...(selectOn === 'test' ? { warning: LEAK_WARNING } : {}) };
    return this.lastFit;
  }

  // ---------------------------------------------------------------- scoring

  private ready(): { net: AlphaRecNet; scorer: CosineScorer; layers: Float32Array[] } {
    const net = this.net;
    if (!net || !this.train) throw new LmrecError('E_STATE', `${this.name} is not fitted or loaded`, { hint: 'call fit() or load() first' });
    if (!this.cache) {
      const fin = net.finalEmbeddings(true);
      this.cache = { scorer: new CosineScorer(fin.users, fin.items, net.config.outDim), layers: fin.layers! };
    }
    return { net, ...this.cache };
  }

  scoreBlock(users: Int32Array): Float32Array {
    return this.ready().scorer.scoreBlock(users);
  }

  /** Normalised user vectors [nUsers, 64] and item vectors laid out [64, nItems]: score = cosine. */
  factors(): { dim: number; users: Float32Array; itemsT: Float32Array } {
    return this.ready().scorer.factors();
  }

  /**
   * Final vector of a user known only by the items they interacted with,
   * without retraining and without touching the graph:
   * - layer 0: MLP(mean of the items' language vectors);
   * - layer l (1..L): one propagation step over the user's own edges,
   *   e_u^(l) = sum_{j in H} E_j^(l-1) / sqrt(|H| (deg_j + 1)), with E_j^(l-1)
   *   the item's layer-(l-1) vector of the trained graph and deg_j its train
   *   degree (+1 counts the new edge; items do not see the new user);
   * - e_u = mean over layers 0..L (as in training), not normalised.
   * For the history of a training user and `inGraph: true` (no +1) this
   * reproduces the trained user's vector exactly.
   */
  userVectorForHistory(history: ArrayLike<number>, options: { inGraph?: boolean } = {}): Float32Array {
    const { net, layers } = this.ready();
    const items = this.requireItems();
    const hist = uniqueItems(history, this.nItems);
    const out = net.config.outDim;
    const z = historyMean(hist, items);
    const e0 = hist.length ? mapRows(net.requireMapping(), z, 1) : new Float32Array(out);
    const L = net.config.layers;
    const acc = Float64Array.from(e0);
    const train = this.train!;
    const degree = itemDegrees(train);
    const nU = train.nRows;
    const extra = options.inGraph ? 0 : 1;
    for (let l = 1; l <= L && hist.length > 0; l++) {
      const prev = layers[l - 1];
      for (const j of hist) {
        const c = 1 / Math.sqrt(hist.length * (degree[j] + extra));
        if (!Number.isFinite(c)) continue;
        const o = (nU + j) * out;
        for (let t = 0; t < out; t++) acc[t] += c * prev[o + t];
      }
    }
    return Float32Array.from(acc, (v) => v / (L + 1));
  }

  /** Cosine scores [histories.length, nItems] for users known only by their histories (conversations). */
  scoreHistories(histories: readonly Int32Array[]): Float32Array {
    const { scorer } = this.ready();
    const out = scorer.dim;
    const vectors = new Float32Array(histories.length * out);
    histories.forEach((h, r) => vectors.set(normalizeRowsInPlace(this.userVectorForHistory(h), out), r * out));
    return scoreVectors(vectors, undefined, scorer.itemsT, out, this.nItems);
  }

  /** Top-k items for a new user given only their item history (history items excluded). */
  recommendForHistory(history: ArrayLike<number>, k = 20): Recommendation {
    return this.rank(this.userVectorForHistory(history), k, uniqueItems(history, this.nItems));
  }

  /**
   * Final vectors for new items known only by their text: encoder -> MLP;
   * a new item has no edges, so its layer mean is layer 0 / (L + 1), which
   * the cosine makes equivalent to the normalised MLP output (returned).
   */
  async itemVectorsFromText(texts: readonly string[]): Promise<Float32Array> {
    const { net } = this.ready();
    const z = await this.encodeTexts(texts);
    return normalizeRowsInPlace(mapRows(net.requireMapping(), z, texts.length), net.config.outDim);
  }

  /** Cosine scores of a user (id) or a history against new items given by text. */
  async scoreTextItems(who: { user?: number; history?: ArrayLike<number> }, texts: readonly string[]): Promise<Float32Array> {
    const vectors = await this.itemVectorsFromText(texts);
    const out = this.ready().net.config.outDim;
    const u = normalizeRowsInPlace(Float32Array.from(this.userVector(who)), out);
    return Float32Array.from({ length: texts.length }, (_, r) => {
      let s = 0;
      for (let t = 0; t < out; t++) s += u[t] * vectors[r * out + t];
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
    const { net } = this.ready();
    const out = net.config.outDim;
    const k = request.k ?? 20;
    const seen = request.excludeSeen === false ? [] : request.user !== undefined && request.history === undefined ? Array.from(this.train!.row(request.user)) : uniqueItems(request.history ?? [], this.nItems);
    const u = normalizeRowsInPlace(Float32Array.from(this.userVector(request)), out);
    if (request.intention !== undefined) {
      const alpha = request.alpha ?? 0.5;
      if (!(alpha >= 0 && alpha <= 1)) throw new LmrecError('E_ARGUMENT', `alpha must be in [0, 1], got ${alpha}`, { field: 'alpha' });
      const e = await this.intentionVector(request.intention);
      for (let t = 0; t < out; t++) u[t] = (1 - alpha) * u[t] + alpha * e[t];
    }
    return this.rank(u, k, seen);
  }

  private userVector(who: { user?: number; history?: ArrayLike<number> }): Float32Array {
    if (who.history !== undefined) return this.userVectorForHistory(who.history);
    if (who.user === undefined) throw new LmrecError('E_ARGUMENT', 'give a user id or an item history', { field: 'user' });
    const { scorer, net } = this.ready();
    if (!(who.user >= 0 && who.user < this.nUsers)) throw new LmrecError('E_RANGE', `user ${who.user} is not in [0, ${this.nUsers})`, { field: 'user' });
    const out = net.config.outDim;
    return scorer.users.slice(who.user * out, (who.user + 1) * out);
  }

  private rank(vector: Float32Array, k: number, exclude: readonly number[]): Recommendation {
    const { scorer } = this.ready();
    const scores = scoreVectors(vector, undefined, scorer.itemsT, scorer.dim, this.nItems);
    const mask = Csr.fromRows(this.nItems, [exclude]);
    const top = topKBlock(scores, 1, this.nItems, Math.min(k, this.nItems), { exclude: mask });
    let n = top.ids.indexOf(-1);
    if (n < 0) n = top.ids.length;
    return { items: top.ids.slice(0, n), scores: top.scores.slice(0, n) };
  }

  private async encodeTexts(texts: readonly string[]): Promise<Float32Array> {
    if (!this.encoder) throw new LmrecError('E_STATE', `${this.name} has no text encoder`, { hint: 'pass { encoder } to the constructor (the one that made the item vectors)' });
    const dim = this.requireItems().dim;
    if (this.encoder.dim !== dim) throw new LmrecError('E_SHAPE', `encoder "${this.encoder.id}" makes ${this.encoder.dim}-d vectors, the model was trained on ${dim}-d`);
    const rows = await this.encoder.encode(texts);
    const z = new Float32Array(texts.length * dim);
    rows.forEach((r, i) => z.set(r, i * dim));
    return z;
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
    const { net } = this.ready();
    const items = this.requireItems();
    const train = this.train!;
    const tensors: Record<string, SafeTensor> = {};
    for (const [name, t] of Object.entries(net.state())) tensors[`mapping.${name}`] = { dtype: 'F32', shape: [...t.shape], data: Float32Array.from(t.dataSync() as Float32Array) };
    tensors['data.train.indptr'] = { dtype: 'I32', shape: [train.indptr.length], data: train.indptr };
    tensors['data.train.indices'] = { dtype: 'I32', shape: [train.indices.length], data: train.indices };
    tensors['data.items'] = { dtype: 'F32', shape: [items.data.length / items.dim, items.dim], data: items.data };
    await fs.mkdir(dir, { recursive: true });
    await writeSafetensors(join(dir, 'weights.safetensors'), tensors, { model: this.name });
    await writeJsonAtomic(join(dir, 'config.json'), {
      format: 'lmrec-alpharec',
      version: 1,
      model: this.name,
      nUsers: train.nRows,
      nItems: train.nCols,
      dim: items.dim,
      config: this.config,
      net: { ...net.config, itemRange: undefined },
      encoder: this.encoder?.id,
      selectedOn: this.lastFit?.selectedOn,
    });
  }

  async load(dir: string): Promise<void> {
    const configFile = join(dir, 'config.json');
    const weightsFile = join(dir, 'weights.safetensors');
    let meta: { model: string; nUsers: number; nItems: number; dim: number; config: AlphaRecConfig; net: AlphaRecNetConfig };
    let bytes: Uint8Array;
    try {
      meta = JSON.parse(await fs.readFile(configFile, 'utf8'));
      bytes = new Uint8Array(await fs.readFile(weightsFile));
    } catch (error) {
      throw new LmrecError('E_IO', `cannot read a saved AlphaRec model: ${(error as Error).message}`, { file: dir, cause: error });
    }
    const { tensors } = parseSafetensors(bytes, weightsFile);
    const need = (name: string) => {
      const t = tensors[name];
      if (!t) throw new LmrecError('E_STATE', `no tensor "${name}"`, { file: weightsFile, field: name });
      return t;
    };
    this.disposeNet();
    Object.assign(this.config, meta.config);
    this.items = { dim: meta.dim, data: need('data.items').data as Float32Array };
    this.train = new Csr(meta.nUsers, meta.nItems, need('data.train.indptr').data as Int32Array, need('data.train.indices').data as Int32Array);
    const net = new AlphaRecNet(this.items, { ...meta.net, itemRange: this.itemRange }, this.name);
    net.attach(this.train);
    net.mapping = new Mapping({ kind: meta.net.mapping, inDim: meta.dim, hidden: meta.net.hidden, outDim: meta.net.outDim, slope: meta.net.slope }, new Rng(0));
    const state: Record<string, tf.Tensor> = {};
    for (const name of net.mapping.names) {
      const t = need(`mapping.${name}`);
      state[name] = tf.tensor(t.data as Float32Array, t.shape);
    }
    try {
      net.loadState(state);
    } finally {
      for (const t of Object.values(state)) t.dispose();
    }
    this.net = net;
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

function uniqueItems(history: ArrayLike<number>, nItems: number): number[] {
  const set = new Set<number>();
  for (let k = 0; k < history.length; k++) {
    const j = history[k];
    if (!(Number.isInteger(j) && j >= 0 && j < nItems)) throw new LmrecError('E_RANGE', `history item ${j} is not in [0, ${nItems})`, { field: 'history' });
    set.add(j);
  }
  return [...set].sort((a, b) => a - b);
}

const degreeCache = new WeakMap<Csr, Int32Array>();

function itemDegrees(train: Csr): Int32Array {
  let d = degreeCache.get(train);
  if (!d) {
    d = new Int32Array(train.nCols);
    for (const j of train.indices) d[j]++;
    degreeCache.set(train, d);
  }
  return d;
}

import { DEPS, depsOf, LmrecError, silentProgress, tf, type Aggregator, type Backbone, type GatingRecommender, type PluginDeps, type ProgressReporter } from '@lmrec/core';
import { toCrsExamples, type ConversationDataset, type CrsExample } from '@lmrec/datasets';
import { evaluateCrs, resultTable, type EvalResult, type ResultTable } from '@lmrec/eval';
import { FismNet, SasRecNet } from '@lmrec/recsys';
import { createAggregator, dataLabelPairs, LexicalBackbone, ReindexModel, SumAggregator, trainReindex, type TrainReindexOptions } from '@lmrec/reindex';
import { ADAPTER_KINDS, createAdapter, type AdapterKind } from './adapters.js';
import { PopularityDiagnosticsAccumulator, type PopularityDiagnostics } from './diagnostics.js';
import { crsScorer, type AdaptExamples } from './examples.js';
import { RecSysGate } from './gate.js';
import { FixedItemIndex, TrainableItemIndex, type ItemIndex } from './item-index.js';
import { BiasAdaptedModel, GatedModel, LlmModel, RecommenderModel, type AdaptModel } from './models.js';
import { trainAdapt, type AdaptTrainOptions, type AdaptTrainResult } from './train.js';

export type GatingFactory = (nItems: number, seed: number) => GatingRecommender;

export interface RtaComparisonOptions {
  /** The frozen LM. Default: reindex's offline LexicalBackbone (hashed words, NOT an LLM), IDF fitted on the train turns. */
  backbone?: Backbone;
  /** Reindex aggregator: a name of reindex's aggregators (default "weighted", Linear initialised to the identity) or a factory. */
  aggregator?: string | ((dim: number, seed: number) => Aggregator);
  /** Collaborative models for "alone" rows and RecSys gating. Default { FISM, SASRec } from @lmrec/recsys. */
  recommenders?: Record<string, GatingFactory>;
  /** Rows to run (names as in the table); default all. The Reindex baseline always runs. */
  variants?: readonly string[];
  /** Reindex training (reindex's trainReindex options). Default maxEpochs 10. */
  reindex?: TrainReindexOptions;
  /** +Bias training. Default lr 1e-3, at most 20 epochs, patience 3. */
  bias?: AdaptTrainOptions;
  /** +RecSys gating training. Default lr 1e-3, at most 20 epochs, patience 3. */
  gating?: AdaptTrainOptions;
  /** FISM / SASRec alone. Default as gating. */
  recsys?: AdaptTrainOptions;
  /** Cut-offs, default [1, 5, 10, 50]. */
  ks?: readonly number[];
  /** Longest item history (RTA: 128). */
  maxHistory?: number;
  /** Cap the number of examples per part (first n, in dataset order) to bound run time. */
  maxExamples?: { train?: number; valid?: number; test?: number };
  /** Also evaluate with items already mentioned in the context removed from the candidates (default true). */
  alsoExcludeMentioned?: boolean;
  /** Keep per-example values in the returned results (default false: large). */
  keepPerUnit?: boolean;
  /** K of the popularity diagnostics (default 10). */
  diagnosticsK?: number;
  seed?: number;
  progress?: ProgressReporter;
  /** Called with the aggregator right after reindex training (best valid weights), e.g. to save it for serving. */
  onReindexed?: (aggregator: Aggregator) => void | Promise<void>;
}

export interface RtaVariantResult {
  name: string;
  kind: 'popularity' | 'recsys' | 'zero-shot' | 'reindex' | 'bias' | 'gating';
  aggregator?: 'frozen' | 'trainable';
  adapter?: AdapterKind;
  recommender?: string;
  /** Test metrics, reference protocol (mentioned items stay candidates). */
  test: EvalResult;
  /** Test metrics with mentioned items removed from the candidates. */
  testExcludeMentioned?: EvalResult;
  diagnostics: PopularityDiagnostics;
  /** Learned gate s = sigmoid(c) (gating rows). */
  gate?: number;
  training?: Omit<AdaptTrainResult, 'log'> & { log: { epoch: number; loss: number; valid?: number; gate?: number }[] };
  seconds: number;
}

export interface RtaComparisonResult {
  dataset: { name: string; nItems: number; conversations: Record<'train' | 'valid' | 'test', number>; examples: Record<'train' | 'valid' | 'test', number> };
  backbone: string;
  aggregator: string;
  reindexTraining: { epochs: number; bestEpoch: number; bestValid?: number; initialValid?: number; seconds: number };
  variants: RtaVariantResult[];
  /** H@K / N@K with standard errors and paired t-tests against Reindex. */
  table: ResultTable;
  tableExcludeMentioned?: ResultTable;
  /** Popularity-bias diagnostics per row, markdown. */
  diagnosticsMarkdown: string;
  seconds: number;
}

export const REINDEX_ROW = 'Reindex';

/**
 * Gating models resolved by plugin name through the container's registry
 * (anything bound under TYPES.GatingRecommender, e.g. recsys' "fism" and
 * "sasrec" or a third-party package's). Keys are the row labels; each
 * factory is created with its options and the catalogue size and seed as
 * dependencies (DEPS.NItems, DEPS.Seed).
 */
export function gatingFactoriesFromRegistry(
  registry: { create(point: 'GatingRecommender', name: string, options: unknown, deps: PluginDeps): unknown },
  entries: Record<string, string | { plugin: string; options?: Record<string, unknown> }>,
): Record<string, GatingFactory> {
  return Object.fromEntries(
    Object.entries(entries).map(([label, entry]) => {
      const { plugin, options } = typeof entry === 'string' ? { plugin: entry, options: {} } : entry;
      const factory: GatingFactory = (nItems, seed) => {
        const model = registry.create('GatingRecommender', plugin, options ?? {}, depsOf([[DEPS.NItems, nItems], [DEPS.Seed, seed]])) as GatingRecommender;
        if (model.nItems !== nItems || typeof model.logits !== 'function') {
          throw new LmrecError('E_PLUGIN', `GatingRecommender "${plugin}" did not build a ${nItems}-item model`, { field: label });
        }
        return model;
      };
      return [label, factory];
    }),
  );
}

/** Row names of the full comparison for the given recommender names. */
export function rtaVariantNames(recommenders: readonly string[] = ['FISM', 'SASRec']): string[] {
  const names = ['Popularity', ...recommenders, 'Zero-shot (sum)', REINDEX_ROW];
  for (const kind of ADAPTER_KINDS) for (const agg of ['frozen', 'trainable']) names.push(`+Bias ${kind} (${agg} agg.)`);
  for (const rec of recommenders) for (const agg of ['frozen', 'trainable']) names.push(`+RecSys ${rec} (${agg} agg.)`);
  return names;
}

function defaultRecommenders(maxHistory: number): Record<string, GatingFactory> {
  return {
    FISM: (nItems, seed) => new FismNet({ nItems, seed, maxHistory }),
    // Conversation histories are short (ReDIAL: a few items); 32 positions keep attention cheap.
    SASRec: (nItems, seed) => new SasRecNet({ nItems, seed, maxLen: Math.min(32, maxHistory) }),
  };
}

/** Train mention frequency: every item mention in the train conversations. */
export function mentionCounts(dataset: ConversationDataset): Float64Array {
  const counts = new Float64Array(dataset.items.ids.length);
  for (const ci of dataset.split.train) for (const turn of dataset.conversations[ci].turns) for (const j of turn.items) counts[j]++;
  return counts;
}

async function contextQueries(backbone: Backbone, examples: readonly CrsExample[], progress: ProgressReporter): Promise<Float32Array> {
  // Several targets of one turn share a context: encode each context once.
  const keyOf = (e: CrsExample) => `${e.conversationId}\u0000${e.turnIndex}`;
  const unique = new Map<string, number>();
  const contexts: CrsExample['context'][] = [];
  for (const e of examples) {
    if (!unique.has(keyOf(e))) {
      unique.set(keyOf(e), contexts.length);
      contexts.push(e.context);
    }
  }
  const vectors = await backbone.contextVectors(contexts, { progress });
  const d = backbone.dim;
  const out = new Float32Array(examples.length * d);
  examples.forEach((e, i) => out.set(vectors[unique.get(keyOf(e))!], i * d));
  return out;
}

function toAdaptExamples(examples: readonly CrsExample[], queries: Float32Array, dim: number): AdaptExamples {
  return { targets: Int32Array.from(examples, (e) => e.target), histories: examples.map((e) => e.history), queries, dim };
}

function cloneState(state: Record<string, tf.Tensor>): Record<string, tf.Tensor> {
  return Object.fromEntries(Object.entries(state).map(([k, t]) => [k, tf.clone(t)]));
}

/**
 * RTA's comparison end to end on a conversation dataset (spec/RTA.md):
 * Popularity, the collaborative models alone, the backbone zero-shot (sum
 * of title token embeddings, no training), Reindex, +Bias (b, gW, gW+b) and
 * +RecSys gating (each recommender), each adaptation with the aggregator
 * frozen and trainable. Test H@K/N@K with standard errors and paired
 * t-tests against Reindex, plus popularity-bias diagnostics per row.
 * Model selection uses VALID only. Returns plain JSON.
 */
export async function runRtaComparison(dataset: ConversationDataset, options: RtaComparisonOptions = {}): Promise<RtaComparisonResult> {
  const started = performance.now();
  const seed = options.seed ?? 0;
  const progress = options.progress ?? silentProgress;
  const log = (line: string) => progress.log?.(line);
  const ks = options.ks ?? [1, 5, 10, 50];
  const maxHistory = options.maxHistory ?? 128;
  const nItems = dataset.items.ids.length;
  const recommenders = options.recommenders ?? defaultRecommenders(maxHistory);
  const allNames = rtaVariantNames(Object.keys(recommenders));
  const wanted = new Set(options.variants ?? allNames);
  for (const name of wanted) {
    if (!allNames.includes(name)) throw new LmrecError('E_ARGUMENT', `unknown comparison row "${name}"`, { field: 'variants', hint: `known: ${allNames.join(', ')}` });
  }
  wanted.add(REINDEX_ROW);

  const cap = (list: CrsExample[], n: number | undefined) => (n === undefined ? list : list.slice(0, n));
  const trainEx = cap(toCrsExamples(dataset, dataset.split.train, { maxHistory }), options.maxExamples?.train);
  const validEx = cap(toCrsExamples(dataset, dataset.split.valid, { maxHistory }), options.maxExamples?.valid);
  const testEx = cap(toCrsExamples(dataset, dataset.split.test, { maxHistory }), options.maxExamples?.test);
  if (trainEx.length === 0 || testEx.length === 0) {
    throw new LmrecError('E_DATA', `dataset "${dataset.name}" yields ${trainEx.length} train and ${testEx.length} test examples`, {
      hint: 'RTA examples are recommender turns that mention items',
    });
  }
  log(`examples: train ${trainEx.length}, valid ${validEx.length}, test ${testEx.length}; items ${nItems}`);

  let backbone = options.backbone;
  if (!backbone) {
    const lexical = new LexicalBackbone({ seed });
    lexical.fit(dataset.split.train.flatMap((ci) => dataset.conversations[ci].turns.map((t) => t.text)));
    backbone = lexical;
  }
  const d = backbone.dim;
  const sets = {
    train: toAdaptExamples(trainEx, await contextQueries(backbone, trainEx, progress), d),
    valid: toAdaptExamples(validEx, await contextQueries(backbone, validEx, progress), d),
    test: toAdaptExamples(testEx, await contextQueries(backbone, testEx, progress), d),
  };
  const popularity = mentionCounts(dataset);
  const variants: RtaVariantResult[] = [];

  const evaluate = async (row: Omit<RtaVariantResult, 'test' | 'diagnostics' | 'seconds'>, scorer: { nItems: number; scoreExamples(i: Int32Array): Promise<Float32Array> | Float32Array }, t0: number) => {
    const diag = new PopularityDiagnosticsAccumulator(popularity, options.diagnosticsK ?? 10);
    const withDiagnostics = {
      nItems: scorer.nItems,
      scoreExamples: async (indices: Int32Array) => {
        const scores = await scorer.scoreExamples(indices);
        diag.addScores(scores, indices.length);
        return scores;
      },
    };
    const test = await evaluateCrs(withDiagnostics, testEx, { ks, blockSize: 256, progress });
    const testExcludeMentioned = options.alsoExcludeMentioned === false ? undefined : await evaluateCrs(scorer, testEx, { ks, blockSize: 256, excludeMentioned: true });
    const result: RtaVariantResult = { ...row, test, testExcludeMentioned, diagnostics: diag.result(), seconds: (performance.now() - t0) / 1000 };
    variants.push(result);
    log(`${row.name}: hit@10 ${test.metrics['hit@10']?.mean.toFixed(4)} ndcg@10 ${test.metrics['ndcg@10']?.mean.toFixed(4)}${row.gate === undefined ? '' : ` gate ${row.gate.toFixed(3)}`} (${result.seconds.toFixed(1)} s)`);
  };
  const summarise = (r: AdaptTrainResult): RtaVariantResult['training'] => ({
    ...r,
    log: r.log.map((l) => ({ epoch: l.epoch, loss: l.loss, valid: l.valid, gate: l.extra?.gate })),
  });
  const adaptDefaults: AdaptTrainOptions = { epochs: 20, patience: 3, learningRate: 1e-3, seed, progress };
  const train = async (model: AdaptModel, defaults: AdaptTrainOptions | undefined) => trainAdapt(model, sets.train, sets.valid, { ...adaptDefaults, ...defaults });

  if (wanted.has('Popularity')) {
    const t0 = performance.now();
    const row = Float32Array.from(popularity);
    await evaluate(
      { name: 'Popularity', kind: 'popularity' },
      {
        nItems,
        scoreExamples: (indices) => {
          const out = new Float32Array(indices.length * nItems);
          for (let i = 0; i < indices.length; i++) out.set(row, i * nItems);
          return out;
        },
      },
      t0,
    );
  }

  for (const [name, factory] of Object.entries(recommenders)) {
    if (!wanted.has(name)) continue;
    const t0 = performance.now();
    const model = new RecommenderModel(factory(nItems, seed), name);
    const training = await train(model, options.recsys ?? options.gating);
    await evaluate({ name, kind: 'recsys', recommender: name, training: summarise(training) }, crsScorer(model, sets.test), t0);
    model.recommender.dispose();
  }

  const titles = dataset.items.titles;
  if (wanted.has('Zero-shot (sum)')) {
    const t0 = performance.now();
    const zs = await ReindexModel.fromBackbone(backbone, new SumAggregator({ dim: d }), titles);
    const index = FixedItemIndex.freeze(zs);
    zs.dispose();
    await evaluate({ name: 'Zero-shot (sum)', kind: 'zero-shot' }, crsScorer(new LlmModel(index, 'zero-shot'), sets.test), t0);
    index.dispose();
  }

  // Reindex: train the aggregator on data labels, valid early stopping.
  const tReindex = performance.now();
  const aggregator =
    typeof options.aggregator === 'function'
      ? options.aggregator(d, seed)
      : // identity Linear: the weighted aggregator starts as a masked mean of the title tokens
        createAggregator(options.aggregator ?? 'weighted', { dim: d, seed, linearInit: 'identity' });
  const reindexModel = await ReindexModel.fromBackbone(backbone, aggregator, titles);
  const reindexResult = await trainReindex(
    reindexModel,
    dataLabelPairs(sets.train.queries!, trainEx),
    validEx.length ? { queries: sets.valid.queries!, examples: validEx } : undefined,
    { maxEpochs: 10, seed, progress, ...options.reindex },
  );
  const reindexSeconds = (performance.now() - tReindex) / 1000;
  const reindexed = cloneState(aggregator.state());
  await options.onReindexed?.(aggregator);
  const frozen = FixedItemIndex.freeze(reindexModel);
  await evaluate({ name: REINDEX_ROW, kind: 'reindex' }, crsScorer(new LlmModel(frozen, REINDEX_ROW), sets.test), tReindex);

  const indexFor = (agg: 'frozen' | 'trainable'): ItemIndex => {
    if (agg === 'frozen') return frozen;
    aggregator.loadState(reindexed);
    return new TrainableItemIndex(reindexModel);
  };

  try {
    for (const kind of ADAPTER_KINDS) {
      for (const agg of ['frozen', 'trainable'] as const) {
        const name = `+Bias ${kind} (${agg} agg.)`;
        if (!wanted.has(name)) continue;
        const t0 = performance.now();
        const index = indexFor(agg);
        const adapter = createAdapter(kind, nItems);
        const model = new BiasAdaptedModel(index, adapter, name);
        const training = await train(model, options.bias);
        await evaluate({ name, kind: 'bias', aggregator: agg, adapter: kind, training: summarise(training) }, crsScorer(model, sets.test), t0);
        adapter.dispose();
        if (index !== frozen) index.dispose();
      }
    }
    for (const [rec, factory] of Object.entries(recommenders)) {
      for (const agg of ['frozen', 'trainable'] as const) {
        const name = `+RecSys ${rec} (${agg} agg.)`;
        if (!wanted.has(name)) continue;
        const t0 = performance.now();
        const index = indexFor(agg);
        const gate = new RecSysGate(factory(nItems, seed));
        const model = new GatedModel(index, gate, name);
        const training = await train(model, options.gating);
        const s = gate.gateValue();
        await evaluate({ name, kind: 'gating', aggregator: agg, recommender: rec, gate: s, training: summarise(training) }, crsScorer(model, sets.test), t0);
        gate.dispose();
        if (index !== frozen) index.dispose();
      }
    }
  } finally {
    frozen.dispose();
    tf.dispose(Object.values(reindexed));
    reindexModel.dispose();
    aggregator.dispose();
  }

  const table = resultTable(
    variants.map((v) => ({ name: v.name, result: v.test })),
    { baseline: REINDEX_ROW, metrics: [...ks.map((k) => `hit@${k}`), ...ks.map((k) => `ndcg@${k}`)] },
  );
  const tableExcludeMentioned =
    options.alsoExcludeMentioned === false
      ? undefined
      : resultTable(
          variants.map((v) => ({ name: v.name, result: v.testExcludeMentioned! })),
          { baseline: REINDEX_ROW, metrics: [...ks.map((k) => `hit@${k}`), ...ks.map((k) => `ndcg@${k}`)] },
        );
  const diagnosticsMarkdown = diagnosticsTable(variants);
  log(table.markdown);
  log(diagnosticsMarkdown);
  if (!options.keepPerUnit) {
    for (const v of variants) {
      v.test = { ...v.test, perUnit: {}, ids: undefined };
      if (v.testExcludeMentioned) v.testExcludeMentioned = { ...v.testExcludeMentioned, perUnit: {}, ids: undefined };
    }
  }
  return {
    dataset: {
      name: dataset.name,
      nItems,
      conversations: { train: dataset.split.train.length, valid: dataset.split.valid.length, test: dataset.split.test.length },
      examples: { train: trainEx.length, valid: validEx.length, test: testEx.length },
    },
    backbone: backbone.id,
    aggregator: aggregator.name,
    reindexTraining: {
      epochs: reindexResult.epochs.length,
      bestEpoch: reindexResult.bestEpoch,
      bestValid: reindexResult.bestValid,
      initialValid: reindexResult.initialValid,
      seconds: reindexSeconds,
    },
    variants,
    table,
    tableExcludeMentioned,
    diagnosticsMarkdown,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Markdown table of the popularity-bias diagnostics and learned gates. */
export function diagnosticsTable(variants: readonly RtaVariantResult[]): string {
  const k = variants[0]?.diagnostics.k ?? 10;
  const lines = [
    `| model | mean pop. percentile@${k} | Gini exposure@${k} | top-10% share@${k} | coverage@${k} | gate s |`,
    '|---|---:|---:|---:|---:|---:|',
    ...variants.map(
      (v) =>
        `| ${v.name} | ${v.diagnostics.meanPopularityPercentile.toFixed(3)} | ${v.diagnostics.giniExposure.toFixed(3)} | ${v.diagnostics.topDecileShare.toFixed(3)} | ${v.diagnostics.coverage.toFixed(3)} | ${v.gate === undefined ? '' : v.gate.toFixed(3)} |`,
    ),
  ];
  return `${lines.join('\n')}\n\npercentile 1 = the most mentioned train item; top-10% = the 10% most mentioned items (train mention counts).\n`;
}

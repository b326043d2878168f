import { LmrecError, silentProgress, type Aggregator, type Backbone } from '@lmrec/core';
import type { ConversationDataset } from '@lmrec/datasets';
import { createAggregator, LexicalBackbone, ReindexModel } from '@lmrec/reindex';
import { FixedItemIndex } from '../item-index.js';
import { runEveryStep, type ComparisonContext } from './context.js';
import { comparisonExamples, encodeParts, fingerprint, mentionCounts, partFingerprint, targetCounts } from './data.js';
import { defaultRecommenders } from './registry.js';
import { crsModelRows } from './crs-rows.js';
import { comparisonTables, diagnosticsTable, dropPerUnit } from './report.js';
import { reindexStep } from './reindex-step.js';
import { biasRows, gatingRows, popularityRow, recommenderRows, reindexRow, zeroShotRow } from './rows.js';
import { REINDEX_ROW, rtaVariantNames, type RtaComparisonOptions, type RtaComparisonResult, type RtaVariantResult } from './types.js';

/** The comparison's backbone (ready to read `dim`): the given one, or the lexical stand-in fitted on the train turns. */
async function comparisonBackbone(dataset: ConversationDataset, options: RtaComparisonOptions, seed: number): Promise<Backbone> {
  let backbone = options.backbone;
  if (!backbone) {
    const lexical = new LexicalBackbone({ seed });
    lexical.fit(dataset.split.train.flatMap((ci) => dataset.conversations[ci].turns.map((t) => t.text)));
    backbone = lexical;
  }
  await backbone.ready?.();
  return backbone;
}

/** The protocol options a caller set (left out when unset, so the keys of earlier runs stay valid). */
function officialProtocol(options: RtaComparisonOptions): Partial<Pick<RtaComparisonOptions, 'history' | 'popularity' | 'ddof'>> {
  const { history, popularity, ddof } = options;
  return Object.fromEntries(Object.entries({ history, popularity, ddof }).filter(([, v]) => v !== undefined));
}

/** Data, backbone and protocol every row shares, and what they depend on. */
async function prepare(dataset: ConversationDataset, options: RtaComparisonOptions): Promise<ComparisonContext> {
  const seed = options.seed ?? 0;
  const progress = options.progress ?? silentProgress;
  const log = (line: string) => progress.log?.(line);
  const maxHistory = options.maxHistory ?? 128;
  const nItems = dataset.items.ids.length;
  const examples = comparisonExamples(dataset, options);
  log(`examples: train ${examples.train.length}, valid ${examples.valid.length}, test ${examples.test.length}; items ${nItems}`);
  const backbone = await comparisonBackbone(dataset, options, seed);
  const parts = await encodeParts(backbone, examples, progress);
  const popularity = options.popularity === 'targets' ? targetCounts(nItems, examples.train) : mentionCounts(dataset);
  const ks = options.ks ?? [1, 5, 10, 50];
  const base = {
    comparison: 'lmrec-rta-comparison/1',
    dataset: { name: dataset.name, nItems, examples: { train: examples.train.length, valid: examples.valid.length, test: examples.test.length } },
    data: { train: partFingerprint(parts.train), valid: partFingerprint(parts.valid), test: partFingerprint(parts.test), popularity: fingerprint(popularity), titles: fingerprint(dataset.items.titles.join('\n')) },
    backbone: { id: backbone.id, dim: backbone.dim },
    protocol: { seed, maxHistory, ...officialProtocol(options), maxExamples: options.maxExamples ?? null, ks, alsoExcludeMentioned: options.alsoExcludeMentioned ?? true, diagnosticsK: options.diagnosticsK ?? 10 },
  };
  return {
    dataset,
    options,
    seed,
    progress,
    log,
    ks,
    nItems,
    backbone,
    d: backbone.dim,
    parts,
    popularity,
    recommenders: options.recommenders ?? defaultRecommenders(maxHistory),
    step: options.step ?? runEveryStep,
    base,
  };
}

function makeAggregator(ctx: ComparisonContext): Aggregator {
  const spec = ctx.options.aggregator;
  // identity Linear: the weighted aggregator starts as a masked mean of the title tokens
  return typeof spec === 'function' ? spec(ctx.d, ctx.seed) : createAggregator(spec ?? 'weighted', { dim: ctx.d, seed: ctx.seed, linearInit: 'identity' });
}

/** Reindex, then every row built on the reindexed catalogue (+Bias, +RecSys). */
async function reindexedRows(ctx: ComparisonContext, wanted: (name: string) => boolean): Promise<{ rows: RtaVariantResult[]; summary: RtaComparisonResult['reindexTraining']; aggregator: string }> {
  const aggregator = makeAggregator(ctx);
  const model = await ReindexModel.fromBackbone(ctx.backbone, aggregator, ctx.dataset.items.titles);
  const reindexed = await reindexStep(ctx, aggregator, model);
  const frozen = FixedItemIndex.freeze(model);
  try {
    await ctx.options.onReindexed?.(aggregator);
    const rows = [await reindexRow(ctx, reindexed, frozen)];
    rows.push(...(await biasRows(ctx, wanted, reindexed, frozen, model)));
    rows.push(...(await gatingRows(ctx, wanted, reindexed, frozen, model)));
    return { rows, summary: reindexed.summary, aggregator: aggregator.name };
  } finally {
    frozen.dispose();
    reindexed.dispose();
    model.dispose();
    aggregator.dispose();
  }
}

/**
 * RTA's comparison end to end on a conversation dataset (spec/RTA.md):
 * Popularity, the collaborative models alone, the backbone zero-shot (sum
 * of title token embeddings, no training), Reindex, +Bias (b, gW, gW+b) and
 * +RecSys gating (each recommender), each adaptation with the aggregator
 * frozen and trainable. Test H@K/N@K with standard errors and paired
 * t-tests against Reindex, plus popularity-bias diagnostics per row.
 * Model selection uses VALID only. Every row (and the reindex training) is
 * one `step`, so a caller can cache rows and resume a killed run mid-row.
 * Returns plain JSON.
 */
export async function runRtaComparison(dataset: ConversationDataset, options: RtaComparisonOptions = {}): Promise<RtaComparisonResult> {
  const started = performance.now();
  const allNames = [...rtaVariantNames(Object.keys(options.recommenders ?? defaultRecommenders(options.maxHistory ?? 128))), ...Object.keys(options.crsModels ?? {})];
  const wantedSet = new Set(options.variants ?? allNames);
  for (const name of wantedSet) {
    if (!allNames.includes(name)) throw new LmrecError('E_ARGUMENT', `unknown comparison row "${name}"`, { field: 'variants', hint: `known: ${allNames.join(', ')}` });
  }
  wantedSet.add(REINDEX_ROW);
  const wanted = (name: string) => wantedSet.has(name);
  const ctx = await prepare(dataset, options);
  const variants: RtaVariantResult[] = [];
  if (wanted('Popularity')) variants.push(await popularityRow(ctx));
  variants.push(...(await recommenderRows(ctx, wanted)));
  if (wanted('Zero-shot (sum)')) variants.push(await zeroShotRow(ctx));
  variants.push(...(await crsModelRows(ctx, options.crsModels ?? {}, wanted)));
  const reindexed = await reindexedRows(ctx, wanted);
  variants.push(...reindexed.rows);

  const excludeMentioned = options.alsoExcludeMentioned !== false;
  const { table, tableExcludeMentioned } = comparisonTables(variants, ctx.ks, excludeMentioned);
  const diagnosticsMarkdown = diagnosticsTable(variants);
  ctx.log(table.markdown);
  ctx.log(diagnosticsMarkdown);
  return {
    dataset: {
      name: dataset.name,
      nItems: ctx.nItems,
      conversations: { train: dataset.split.train.length, valid: dataset.split.valid.length, test: dataset.split.test.length },
      examples: { train: ctx.parts.train.examples.length, valid: ctx.parts.valid.examples.length, test: ctx.parts.test.examples.length },
    },
    backbone: ctx.backbone.id,
    aggregator: reindexed.aggregator,
    reindexTraining: reindexed.summary,
    variants: options.keepPerUnit ? variants : dropPerUnit(variants),
    table,
    tableExcludeMentioned,
    diagnosticsMarkdown,
    seconds: (performance.now() - started) / 1000,
  };
}

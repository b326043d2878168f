import { SumAggregator, ReindexModel } from '@lmrec/reindex';
import { ADAPTER_KINDS, createAdapter } from '../adapters.js';
import { crsScorer } from '../examples.js';
import { RecSysGate } from '../gate.js';
import { FixedItemIndex, TrainableItemIndex, type ItemIndex } from '../item-index.js';
import { BiasAdaptedModel, LlmModel } from '../models.js';
import { GatedModel, RecommenderModel } from '../recsys-models.js';
import { moduleDeps, type ComparisonContext } from './context.js';
import { evaluateRow, rowTrainingDeps, summarise, trainRow } from './evaluate.js';
import type { Reindexed } from './reindex-step.js';
import { REINDEX_ROW, type RtaVariantResult } from './types.js';

type Rows = (name: string) => boolean;

/** Popularity: constant scores = train mention counts. */
export function popularityRow(ctx: ComparisonContext): Promise<RtaVariantResult> {
  return ctx.step('Popularity', { ...ctx.base, row: 'Popularity' }, async () => {
    const t0 = performance.now();
    const row = Float32Array.from(ctx.popularity);
    const n = ctx.nItems;
    const scoreExamples = (indices: Int32Array) => {
      const out = new Float32Array(indices.length * n);
      for (let i = 0; i < indices.length; i++) out.set(row, i * n);
      return out;
    };
    return evaluateRow(ctx, { name: 'Popularity', kind: 'popularity' }, { nItems: n, scoreExamples }, t0);
  });
}

/** Each collaborative model alone over the item history. */
export async function recommenderRows(ctx: ComparisonContext, wanted: Rows): Promise<RtaVariantResult[]> {
  const out: RtaVariantResult[] = [];
  const own = ctx.options.recsys ?? ctx.options.gating;
  for (const [name, factory] of Object.entries(ctx.recommenders)) {
    if (!wanted(name)) continue;
    const net = factory(ctx.nItems, ctx.seed);
    try {
      const deps = { ...ctx.base, row: name, recommender: moduleDeps(net.name, net.state()), training: rowTrainingDeps(ctx, own) };
      out.push(
        await ctx.step(name, deps, async (dir) => {
          const t0 = performance.now();
          const model = new RecommenderModel(net, name);
          const training = await trainRow(ctx, model, own, dir, deps);
          return evaluateRow(ctx, { name, kind: 'recsys', recommender: name, training: summarise(training) }, crsScorer(model, ctx.parts.test.set), t0);
        }),
      );
    } finally {
      net.dispose();
    }
  }
  return out;
}

/** The backbone zero-shot: sum of title token embeddings, no training. */
export function zeroShotRow(ctx: ComparisonContext): Promise<RtaVariantResult> {
  const name = 'Zero-shot (sum)';
  return ctx.step(name, { ...ctx.base, row: name }, async () => {
    const t0 = performance.now();
    const zs = await ReindexModel.fromBackbone(ctx.backbone, new SumAggregator({ dim: ctx.d }), ctx.dataset.items.titles);
    const index = FixedItemIndex.freeze(zs);
    zs.dispose();
    try {
      return await evaluateRow(ctx, { name, kind: 'zero-shot' }, crsScorer(new LlmModel(index, 'zero-shot'), ctx.parts.test.set), t0);
    } finally {
      index.dispose();
    }
  });
}

/** The reindexed LLM alone. */
export function reindexRow(ctx: ComparisonContext, reindexed: Reindexed, frozen: FixedItemIndex): Promise<RtaVariantResult> {
  return ctx.step(REINDEX_ROW, { ...reindexed.deps, row: REINDEX_ROW }, async () =>
    evaluateRow(ctx, { name: REINDEX_ROW, kind: 'reindex' }, crsScorer(new LlmModel(frozen, REINDEX_ROW), ctx.parts.test.set), performance.now()),
  );
}

/** The item index a row adapts: the frozen reindexed V, or the aggregator itself reset to its reindexed state. */
function indexFor(agg: 'frozen' | 'trainable', frozen: FixedItemIndex, reindexed: Reindexed, model: ReindexModel): ItemIndex {
  if (agg === 'frozen') return frozen;
  reindexed.reset();
  return new TrainableItemIndex(model);
}

/** +Bias b / gW / gW+b, each with the aggregator frozen and trainable. */
export async function biasRows(ctx: ComparisonContext, wanted: Rows, reindexed: Reindexed, frozen: FixedItemIndex, model: ReindexModel): Promise<RtaVariantResult[]> {
  const out: RtaVariantResult[] = [];
  for (const kind of ADAPTER_KINDS) {
    for (const agg of ['frozen', 'trainable'] as const) {
      const name = `+Bias ${kind} (${agg} agg.)`;
      if (!wanted(name)) continue;
      const deps = { ...reindexed.deps, row: name, adapter: kind, aggregatorMode: agg, training: rowTrainingDeps(ctx, ctx.options.bias) };
      out.push(
        await ctx.step(name, deps, async (dir) => {
          const t0 = performance.now();
          const index = indexFor(agg, frozen, reindexed, model);
          const adapter = createAdapter(kind, ctx.nItems);
          try {
            const adapted = new BiasAdaptedModel(index, adapter, name);
            const training = await trainRow(ctx, adapted, ctx.options.bias, dir, deps);
            return await evaluateRow(ctx, { name, kind: 'bias', aggregator: agg, adapter: kind, training: summarise(training) }, crsScorer(adapted, ctx.parts.test.set), t0);
          } finally {
            adapter.dispose();
            if (index !== frozen) index.dispose();
          }
        }),
      );
    }
  }
  return out;
}

/** +RecSys gating with each collaborative model, the aggregator frozen and trainable. */
export async function gatingRows(ctx: ComparisonContext, wanted: Rows, reindexed: Reindexed, frozen: FixedItemIndex, model: ReindexModel): Promise<RtaVariantResult[]> {
  const out: RtaVariantResult[] = [];
  for (const [rec, factory] of Object.entries(ctx.recommenders)) {
    for (const agg of ['frozen', 'trainable'] as const) {
      const name = `+RecSys ${rec} (${agg} agg.)`;
      if (!wanted(name)) continue;
      const gate = new RecSysGate(factory(ctx.nItems, ctx.seed));
      try {
        const deps = { ...reindexed.deps, row: name, gate: moduleDeps(gate.recommender.name, gate.state()), aggregatorMode: agg, training: rowTrainingDeps(ctx, ctx.options.gating) };
        out.push(
          await ctx.step(name, deps, async (dir) => {
            const t0 = performance.now();
            const index = indexFor(agg, frozen, reindexed, model);
            try {
              const gated = new GatedModel(index, gate, name);
              const training = await trainRow(ctx, gated, ctx.options.gating, dir, deps);
              const s = gate.gateValue();
              return await evaluateRow(ctx, { name, kind: 'gating', aggregator: agg, recommender: rec, gate: s, training: summarise(training) }, crsScorer(gated, ctx.parts.test.set), t0);
            } finally {
              if (index !== frozen) index.dispose();
            }
          }),
        );
      } finally {
        gate.dispose();
      }
    }
  }
  return out;
}

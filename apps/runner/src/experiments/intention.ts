import { LmrecError, type Recommender } from '@lmrec/core';
import { meanSe } from '@lmrec/eval';
import { modelDir, type ExperimentContext, type ExperimentRunner } from '../context.js';
import type { ExperimentResult, ModelRow } from '../report/types.js';
import { evalKs, trainAndTest } from './cf-row.js';
import { isConversationDataset, loadCfData, loadDataset } from './data.js';
import { intentionPairs, type IntentionPair } from './intention-pairs.js';
import { vectorSources } from './vectors.js';

/** A Recommender that takes free-text intentions (AlphaRec's Potential 3). */
export interface IntentionRecommender extends Recommender {
  recommend(request: { user?: number; history?: number[]; intention?: string; alpha?: number; k?: number; excludeSeen?: boolean }): Promise<{ items: Int32Array; scores: Float32Array }>;
  dispose?(): void;
}

export const takesIntentions = (model: Recommender): model is IntentionRecommender => typeof (model as Partial<IntentionRecommender>).recommend === 'function';

/**
 * AlphaRec's Potential 3 on real intentions: on ReDIAL's liked-movie view a
 * test (user, item) pair takes as intention what the seeker wrote in the
 * conversation where they liked the item, every mentioned title removed.
 * The user vector is mixed as e_u' = (1 - alpha) e_u + alpha e_intent for
 * each alpha of `study.alphas`; HR@K and NDCG@K of the single target, train
 * items excluded. The model is `study.model` (default: the first row).
 */
export const runIntention: ExperimentRunner = async (ctx) => {
  const conversations = await loadDataset(ctx, ctx.config.dataset);
  if (!isConversationDataset(conversations)) {
    throw new LmrecError('E_CONFIG', 'the intention study needs a conversation dataset (e.g. loader "redial-sample")', ctx.where('dataset.loader'));
  }
  const data = await loadCfData(ctx, ctx.config.dataset, 'dataset', conversations);
  const study = ctx.config.study as { model?: string; alphas: number[] };
  const index = Math.max(0, ctx.config.models.findIndex((m) => (m.label ?? m.name) === study.model));
  const model = ctx.config.models[index];
  const label = model.label ?? model.name;
  const deps = vectorSources(ctx, data, ctx.config.encoder);
  const recommender = await ctx.create<Recommender>('Recommender', model, `models.${index}`, deps);
  if (!takesIntentions(recommender)) {
    throw new LmrecError('E_CONFIG', `the intention study needs a model whose recommend() takes intentions; "${model.name}" does not`, ctx.where(`models.${index}.name`));
  }
  const trained = await trainAndTest(ctx, data, model, `models.${index}`, deps);
  await recommender.load(modelDir(ctx.outDir, label));
  const pairs = intentionPairs(conversations, data.split, data.userIds ?? []);
  const rows = await sweep(ctx, recommender, pairs, study.alphas);
  recommender.dispose?.();
  return [intentionTable(ctx, pairs.length, rows, study.alphas, trained)];
};

async function sweep(ctx: ExperimentContext, model: IntentionRecommender, pairs: IntentionPair[], alphas: number[]): Promise<ModelRow[]> {
  const ks = evalKs(ctx);
  const kMax = Math.max(...ks);
  const rows: ModelRow[] = [];
  const task = ctx.progress.start('intention study', alphas.length * pairs.length, 'requests');
  for (const alpha of alphas) {
    const perUnit: Record<string, number[]> = Object.fromEntries(ks.flatMap((k) => [[`hr@${k}`, []], [`ndcg@${k}`, []]]));
    for (const pair of pairs) {
      const rec = await model.recommend({ user: pair.user, intention: pair.text, alpha, k: kMax });
      const rank = Array.from(rec.items).indexOf(pair.item);
      for (const k of ks) {
        perUnit[`hr@${k}`].push(rank >= 0 && rank < k ? 1 : 0);
        perUnit[`ndcg@${k}`].push(rank >= 0 && rank < k ? 1 / Math.log2(rank + 2) : 0);
      }
      task.tick();
    }
    rows.push({ label: `alpha = ${alpha}`, metrics: Object.fromEntries(Object.entries(perUnit).map(([k, v]) => [k, meanSe(v)])), perUnit, extra: { alpha } });
  }
  task.end();
  return rows;
}

function intentionTable(ctx: ExperimentContext, n: number, rows: ModelRow[], alphas: number[], trained: ModelRow): ExperimentResult {
  const ks = evalKs(ctx);
  return {
    title: `User intention (AlphaRec Potential 3): ${n} test pairs with the seeker's own words as intention`,
    kind: 'intention',
    metricKeys: ks.flatMap((k) => [`hr@${k}`, `ndcg@${k}`]),
    mainMetric: `hr@${Math.min(...ks)}`,
    baseline: rows.find((r) => r.label === ctx.config.eval.baseline)?.label ?? rows[0]?.label,
    rows,
    sweep: { parameter: 'alpha', values: alphas },
    protocol: { intention: 'seeker turns of the conversation where the target was liked, titles removed', exclusion: "the user's train items", alphas },
    notes: [`The model behind every row is the one trained here (${trained.label}: test recall@20 ${trained.metrics['recall@20']?.mean.toFixed(4) ?? '-'}).`],
  };
}

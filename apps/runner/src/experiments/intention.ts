import type { CfSplit } from '@lmrec/core';
import { AlphaRec, type AlphaRecOptions } from '@lmrec/alpharec';
import type { ConversationDataset } from '@lmrec/datasets';
import { LmrecError } from '@lmrec/core';
import { meanSe } from '@lmrec/eval';
import { modelDir, type ExperimentRunner } from '../context.js';
import type { ExperimentResult, ModelRow } from '../report/types.js';
import { itemVectors, trainAndTest } from './cf.js';
import { isConversationDataset, loadCfData, loadDataset } from './data.js';

/**
 * AlphaRec's Potential 3 on real intentions: on ReDIAL's liked-movie view a
 * test (user, item) pair takes as intention what the seeker wrote in the
 * conversation where they liked the item, with every mentioned title
 * removed (so the target's name never leaks). The user vector is mixed as
 * e_u' = (1 - alpha) e_u + alpha e_intent for each alpha of `study.alphas`;
 * HR@K and NDCG@K of the single target, train items excluded.
 */
export const runIntention: ExperimentRunner = async (ctx) => {
  const conversations = await loadDataset(ctx, ctx.config.dataset);
  if (!isConversationDataset(conversations)) {
    throw new LmrecError('E_CONFIG', 'the intention study needs a conversation dataset (e.g. loader "redial-sample")', { field: 'dataset.loader' });
  }
  const data = await loadCfData(ctx, ctx.config.dataset, 'dataset', conversations);
  const model = ctx.config.models[0] ?? { name: 'alpharec', options: {} };
  if (model.name !== 'alpharec') throw new LmrecError('E_CONFIG', 'the intention study runs AlphaRec: models[0].name must be "alpharec"', { field: 'models.0.name' });
  const vectors = await itemVectors(ctx, data);
  const trained = await trainAndTest(ctx, data, { ...model, label: model.label ?? 'AlphaRec' }, async () => vectors);
  const alpharec = new AlphaRec({ ...(model.options as AlphaRecOptions), encoder: vectors.encoder, itemEmbeddings: vectors.embeddings });
  await alpharec.load(modelDir(ctx.outDir, model.label ?? 'AlphaRec'));

  const pairs = intentionPairs(conversations, data.split, data.userIds ?? []);
  const alphas = ((ctx.config.study.alphas as number[] | undefined) ?? [0, 0.25, 0.5, 0.75, 1]).map(Number);
  const ks = ctx.config.eval.ks ?? [5, 10];
  const kMax = Math.max(...ks);
  const rows: ModelRow[] = [];
  const task = ctx.progress.start('intention study', alphas.length * pairs.length, 'requests');
  for (const alpha of alphas) {
    const perUnit: Record<string, number[]> = Object.fromEntries(ks.flatMap((k) => [[`hr@${k}`, []], [`ndcg@${k}`, []]]));
    for (const pair of pairs) {
      const rec = await alpharec.recommend({ user: pair.user, intention: pair.text, alpha, k: kMax });
      const rank = Array.from(rec.items).indexOf(pair.item);
      for (const k of ks) {
        perUnit[`hr@${k}`].push(rank >= 0 && rank < k ? 1 : 0);
        perUnit[`ndcg@${k}`].push(rank >= 0 && rank < k ? 1 / Math.log2(rank + 2) : 0);
      }
      task.tick();
    }
    rows.push({ label: `alpha = ${alpha}`, metrics: Object.fromEntries(Object.entries(perUnit).map(([k, v]) => [k, meanSe(v)])), perUnit });
  }
  task.end();
  alpharec.dispose();
  const exp: ExperimentResult = {
    title: `User intention (AlphaRec Potential 3): ${pairs.length} test pairs with the seeker's own words as intention`,
    kind: 'intention',
    metricKeys: ks.flatMap((k) => [`hr@${k}`, `ndcg@${k}`]),
    mainMetric: `hr@${Math.min(...ks)}`,
    baseline: rows[0]?.label,
    rows,
    protocol: { intention: "seeker turns of the conversation where the target was liked, titles removed", exclusion: "the user's train items", alphas },
    notes: [`The AlphaRec model behind every row is the one trained here (test recall@20 ${trained.metrics['recall@20']?.mean.toFixed(4) ?? '-'}).`],
  };
  return [exp];
};

interface IntentionPair {
  user: number;
  item: number;
  text: string;
}

/** Test pairs of the liked view with the seeker's words from the conversation where the item was liked. */
export function intentionPairs(dataset: ConversationDataset, split: CfSplit, userIds: readonly string[]): IntentionPair[] {
  const userIndex = new Map(userIds.map((id, i) => [id, i]));
  const pairs: IntentionPair[] = [];
  dataset.conversations.forEach((conversation) => {
    const user = userIndex.get(conversation.seeker ?? `conversation:${conversation.id}`);
    if (user === undefined || user >= split.nUsers) return;
    const titles = new Set(conversation.turns.flatMap((t) => t.items.map((i) => dataset.items.titles[i])));
    const words = conversation.turns
      .filter((t) => t.role === 'seeker')
      .map((t) => [...titles].reduce((text, title) => text.split(title).join(' '), t.text))
      .join(' ')
      .replace(/\s+/g, ' ')
      .trim();
    if (!words) return;
    for (const turn of conversation.turns) {
      for (const item of turn.liked ?? []) {
        if (split.test.has(user, item) && !pairs.some((p) => p.user === user && p.item === item)) pairs.push({ user, item, text: words });
      }
    }
  });
  return pairs;
}

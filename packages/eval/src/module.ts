import { definePlugin, pluginModule } from '@lmrec/core';
import { HitRate, Mrr, Ndcg, Precision, Recall } from './metrics/ranking.js';

/** Metric plugin factories, bound under TYPES.Metric. */
export const metricPlugins = [
  definePlugin('recall', () => new Recall(), 'Recall@K = |R n T| / |T|'),
  definePlugin('precision', () => new Precision(), 'Precision@K = |R n T| / K'),
  definePlugin('ndcg', () => new Ndcg(), 'NDCG@K with IDCG over min(|T|, K)'),
  definePlugin('hr', () => new HitRate(), 'HR@K = 1 if any target in the top K'),
  definePlugin('mrr', () => new Mrr(), 'MRR@K = 1 / rank of the first hit'),
];

/** Load into a container to make the built-in metrics resolvable by name. */
export const evalModule = pluginModule('Metric', metricPlugins);

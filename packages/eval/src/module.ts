import { definePlugin, pluginModule, type Metric } from '@lmrec/core';
import { z } from 'zod';
import { HitRate, Mrr, Ndcg, Precision, Recall } from './metrics/ranking.js';
import { EVAL_ORIGIN } from './origin.js';

/** Metrics take no options: K comes from the evaluator. */
export const metricOptions = z.strictObject({});

const metric = (name: string, make: () => Metric, description: string) => definePlugin({ name, description, options: metricOptions, create: make });

/** Metric plugin factories, bound under TYPES.Metric. */
export const metricPlugins = [
  metric('recall', () => new Recall(), 'Recall@K = |R n T| / |T|'),
  metric('precision', () => new Precision(), 'Precision@K = |R n T| / K'),
  metric('ndcg', () => new Ndcg(), 'NDCG@K with IDCG over min(|T|, K)'),
  metric('hr', () => new HitRate(), 'HR@K = 1 if any target in the top K'),
  metric('mrr', () => new Mrr(), 'MRR@K = 1 / rank of the first hit'),
];

/** Load into a container to make the built-in metrics resolvable by name. */
export const evalModule = pluginModule(EVAL_ORIGIN, 'Metric', metricPlugins);

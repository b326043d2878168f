import type { ExperimentRunner } from '../context.js';
import type { ModelRow } from '../report/types.js';
import { trainAndTest } from './cf-row.js';
import { cfExperiment } from './cf-table.js';
import { loadCfData } from './data.js';
import { vectorSources } from './vectors.js';

/**
 * AlphaRec's RQ1 (Table 1): the same map (`study.mapping`, default the
 * "linear-mapping" Recommender: Linear(d, 64, bias=False), no graph) trained
 * on each encoder's item vectors (and on the dataset's own, when it ships
 * them); the config's `models` are trained alongside as reference rows.
 */
export const runLinearMapping: ExperimentRunner = async (ctx) => {
  const data = await loadCfData(ctx);
  const rows: ModelRow[] = [];
  for (const [i, model] of ctx.config.models.entries()) rows.push(await trainAndTest(ctx, data, model, `models.${i}`, vectorSources(ctx, data, undefined)));
  const mapping = (ctx.config.study as { mapping: { name: string; options: Record<string, unknown> } }).mapping;
  const sources = ctx.config.encoders.map((ref, i) => ({ label: ref.label ?? ref.name, deps: vectorSources(ctx, data, ref, `encoders.${i}`) }));
  if (data.itemEmbeddings) sources.unshift({ label: 'dataset vectors', deps: vectorSources(ctx, data, null) });
  for (const { label, deps } of sources) {
    const row = await trainAndTest(ctx, data, { ...mapping, label: `Linear: ${label}` }, 'study.mapping', deps);
    rows.push({ ...row, source: label });
  }
  return [cfExperiment(ctx, `Linear mapping across encoders: ${data.name}`, data, rows)];
};

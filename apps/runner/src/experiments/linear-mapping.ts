import type { PluginRef } from '../config/schema.js';
import type { ExperimentRunner } from '../context.js';
import type { ModelRow } from '../report/types.js';
import { cfExperiment, itemVectors, trainAndTest } from './cf.js';
import { loadCfData } from './data.js';

/**
 * AlphaRec's RQ1 (Table 1): the same linear map Linear(d, 64, bias=False),
 * no graph, trained on each encoder's item vectors; the config's `models`
 * (e.g. MF, LightGCN) are trained alongside as reference rows.
 */
export const runLinearMapping: ExperimentRunner = async (ctx) => {
  const data = await loadCfData(ctx);
  const rows: ModelRow[] = [];
  for (const model of ctx.config.models) rows.push(await trainAndTest(ctx, data, model));
  const mapping = ctx.config.study.mapping as Record<string, unknown> | undefined;
  // `label` in an encoder's options names its row; the rest goes to the encoder.
  const sources: { label: string; ref: PluginRef | null }[] = ctx.config.encoders.map(({ name, options: { label, ...options } }) => ({
    label: String(label ?? name),
    ref: { name, options },
  }));
  if (data.itemEmbeddings) sources.unshift({ label: 'dataset vectors', ref: null });
  for (const { label, ref } of sources) {
    const model = { name: 'linear-mapping', label: `Linear: ${label}`, options: { ...(mapping ?? {}) } };
    rows.push(await trainAndTest(ctx, data, model, () => itemVectors(ctx, data, ref)));
  }
  return [cfExperiment(ctx, `Linear mapping across encoders: ${data.name}`, data, rows)];
};

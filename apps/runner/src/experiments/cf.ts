import type { ExperimentRunner } from '../context.js';
import type { ModelRow } from '../report/types.js';
import { trainAndTest } from './cf-row.js';
import { cfExperiment } from './cf-table.js';
import { loadCfData } from './data.js';
import { vectorSources } from './vectors.js';

/** Trains every model of the config on one split and evaluates on TEST with epochs selected on VALID. */
export const runCf: ExperimentRunner = async (ctx) => {
  const data = await loadCfData(ctx);
  const deps = vectorSources(ctx, data, ctx.config.encoder);
  const rows: ModelRow[] = [];
  for (const [i, model] of ctx.config.models.entries()) rows.push(await trainAndTest(ctx, data, model, `models.${i}`, deps));
  return [cfExperiment(ctx, `${ctx.config.name}: ${data.name} (${data.stats.users} users, ${data.stats.items} items)`, data, rows)];
};

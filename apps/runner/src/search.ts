import { join, resolve } from 'node:path';
import { LmrecError, Rng, writeFileAtomic, writeJsonAtomic } from '@lmrec/core';
import { validateConfig, withKey, type LoadedConfig } from './config/load.js';
import type { RunConfig } from './config/schema.js';
import { renderReport } from './report/html.js';
import { textTable } from './report/table.js';
import type { ExperimentResult, RunResults } from './report/types.js';
import { runConfig, type RunOptions } from './run.js';

export interface Trial {
  index: number;
  settings: Record<string, unknown>;
}

/** Grid: every combination in key order. Random: `trials` seeded draws (without repeats when possible). */
export function expandSearch(config: RunConfig): Trial[] {
  const search = config.search;
  if (!search) return [];
  const keys = Object.keys(search.space);
  const grid: Record<string, unknown>[] = [{}];
  for (const key of keys) {
    const next: Record<string, unknown>[] = [];
    for (const partial of grid) for (const value of search.space[key]) next.push({ ...partial, [key]: value });
    grid.splice(0, grid.length, ...next);
  }
  if (search.method === 'grid') return grid.map((settings, index) => ({ index, settings }));
  const n = search.trials ?? Math.min(10, grid.length);
  const rng = new Rng(config.seed).fork('search');
  const picks = n <= grid.length ? Array.from(rng.sampleWithoutReplacement(grid.length, n)) : Array.from({ length: n }, () => rng.int(grid.length));
  return picks.map((g, index) => ({ index, settings: grid[g] }));
}

/** The valid-set value a trial is selected on (never test). */
export function validScore(exp: ExperimentResult, metric: string): number {
  const values = exp.rows.map((r) => Number(r.extra?.[`valid ${metric}`])).filter(Number.isFinite);
  if (values.length === 0) {
    throw new LmrecError('E_SEARCH', `the experiment reports no valid ${metric}; search selects on valid only`, { field: 'eval.metric' });
  }
  return Math.max(...values);
}

/** Runs every trial in its own folder, selects on VALID, reports the trials and the chosen one. */
export async function runSearch(loaded: LoadedConfig, options: RunOptions): Promise<RunResults> {
  const { config } = loaded;
  const metric = config.eval.metric ?? 'recall@20';
  const root = resolve(options.output ?? (config.output ? resolve(loaded.baseDir, config.output) : join(process.cwd(), 'runs', config.name)));
  const trials = expandSearch(config);
  const outcomes: { trial: Trial; valid: number; results: RunResults }[] = [];
  for (const trial of trials) {
    let trialConfig: RunConfig = { ...config, search: undefined, name: `${config.name}-trial-${trial.index}` };
    for (const [key, value] of Object.entries(trial.settings)) trialConfig = withKey(trialConfig, key, value);
    trialConfig = validateConfig(trialConfig, `${loaded.file} (search trial ${trial.index})`);
    options.progress.log?.(`trial ${trial.index + 1}/${trials.length}: ${JSON.stringify(trial.settings)}`);
    const { results } = await runConfig({ ...loaded, config: trialConfig }, { ...options, output: join(root, `trial-${trial.index}`), print: () => {} });
    outcomes.push({ trial, valid: validScore(results.experiments[0], metric), results });
  }
  const best = outcomes.reduce((a, b) => (b.valid > a.valid ? b : a));
  const summary: ExperimentResult = {
    title: `Search over ${Object.keys(config.search!.space).join(', ')} (selected on valid ${metric})`,
    kind: 'search',
    metricKeys: best.results.experiments[0].metricKeys,
    mainMetric: metric,
    rows: outcomes.map((o) => ({
      label: `trial ${o.trial.index}${o === best ? ' (selected)' : ''}: ${Object.entries(o.trial.settings).map(([k, v]) => `${k.split('.').pop()}=${JSON.stringify(v)}`).join(' ')}`,
      metrics: o.results.experiments[0].rows[0]?.metrics ?? {},
      extra: { [`valid ${metric}`]: o.valid },
    })),
    notes: ['Test metrics are shown for each trial for information only; the selection used the valid metric.'],
  };
  const results: RunResults = { ...best.results, name: config.name, config, experiments: [summary, ...best.results.experiments] };
  await writeJsonAtomic(join(root, 'results.json'), results);
  await writeFileAtomic(join(root, 'report.html'), renderReport(results));
  const print = options.print ?? ((text: string) => process.stdout.write(`${text}\n`));
  print(`\n${textTable(summary)}\n\nreport: ${join(root, 'report.html')}`);
  return results;
}

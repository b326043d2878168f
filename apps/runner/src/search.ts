import { join } from 'node:path';
import { LmrecError, Rng, writeFileAtomic, writeJsonAtomic } from '@lmrec/core';
import { validateConfig, type LoadedConfig } from './config/load.js';
import { withKey } from './config/merge.js';
import type { RunConfig } from './config/schema.js';
import { renderReport } from './report/html.js';
import { textTable } from './report/table.js';
import type { ExperimentResult, RunResults } from './report/types.js';
import { prepareOutput } from './run/output.js';
import { redact } from './run/redact.js';
import { outputOf, prepareRun, runConfig, type RunOptions } from './run/run.js';

export interface Trial {
  index: number;
  settings: Record<string, unknown>;
}

/** Grid: every combination in key order. Random: `trials` seeded draws (without repeats when possible). */
export function expandSearch(config: RunConfig): Trial[] {
  const search = config.search;
  if (!search) return [];
  const keys = Object.keys(search.space);
  let grid: Record<string, unknown>[] = [{}];
  for (const key of keys) grid = grid.flatMap((partial) => search.space[key].map((value) => ({ ...partial, [key]: value })));
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

/** Each trial's config: the search key set (prototype keys refused), validated and planned like a config of its own. */
export async function trialConfigs(loaded: LoadedConfig): Promise<{ trial: Trial; loaded: LoadedConfig }[]> {
  const out = [];
  for (const trial of expandSearch(loaded.config)) {
    let config: RunConfig = { ...loaded.config, search: undefined, name: `${loaded.config.name}-trial-${trial.index}` };
    for (const [key, value] of Object.entries(trial.settings)) config = withKey(config, key, value);
    const site = `${loaded.file} (search trial ${trial.index}: ${JSON.stringify(trial.settings)})`;
    // A problem with a searched value is shown at its line in search.space.
    const lineOf = (dotted: string) => {
      const key = Object.keys(trial.settings).find((k) => dotted === k || dotted.startsWith(`${k}.`));
      return key ? loaded.linePath?.(['search', 'space', key]) : loaded.lineOf(dotted);
    };
    const trialLoaded = { ...loaded, config: validateConfig(config, site, (path) => lineOf(path.join('.'))), file: site, lineOf };
    await prepareRun(trialLoaded);
    out.push({ trial, loaded: { ...trialLoaded, file: loaded.file } });
  }
  return out;
}

/** Runs every trial in its own folder, selects on VALID, reports the trials and the chosen one. Every trial is checked before the first one runs. */
export async function runSearch(loaded: LoadedConfig, options: RunOptions): Promise<RunResults> {
  const { config } = loaded;
  const metric = config.eval.metric ?? 'recall@20';
  const { config: resolved } = await prepareRun(loaded);
  const trials = await trialConfigs(loaded);
  const root = await prepareOutput(outputOf(loaded, options.output), { fresh: options.fresh, pluginsFrom: loaded.baseDir });
  const outcomes: { trial: Trial; valid: number; results: RunResults }[] = [];
  for (const { trial, loaded: trialLoaded } of trials) {
    options.progress.log?.(`trial ${trial.index + 1}/${trials.length}: ${JSON.stringify(trial.settings)}`);
    const { results } = await runConfig(trialLoaded, { ...options, fresh: false, output: join(root, `trial-${trial.index}`), print: () => {} });
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
  const results: RunResults = redact({ ...best.results, name: config.name, config: resolved, experiments: [summary, ...best.results.experiments] });
  await writeJsonAtomic(join(root, 'results.json'), results);
  await writeFileAtomic(join(root, 'report.html'), renderReport(results));
  const print = options.print ?? ((text: string) => process.stdout.write(`${text}\n`));
  print(`\n${textTable(summary)}\n\nreport: ${join(root, 'report.html')}`);
  return results;
}

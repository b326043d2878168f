import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LmrecError, writeFileAtomic, writeJsonAtomic } from '@lmrec/core';
import { UsageError } from './cli/errors.js';
import { validateConfig, type LoadedConfig } from './config/load.js';
import { renderReport } from './report/html.js';
import { textTable } from './report/table.js';
import type { ExperimentResult, ModelRow, RunResults } from './report/types.js';
import { prepareOutput } from './run/output.js';
import { redact } from './run/redact.js';
import { outputOf, prepareRun, runConfig, type RunOptions } from './run/run.js';

/** `--seeds 0,1,2`: whole numbers, no repeats. */
export function parseSeeds(text: string): number[] {
  const seeds = text.split(',').map((s) => s.trim());
  const bad = seeds.find((s) => !/^\d+$/.test(s));
  if (bad !== undefined) throw new UsageError(`--seeds takes whole numbers separated by commas, got "${bad}"`);
  const out = seeds.map(Number);
  if (new Set(out).size !== out.length) throw new UsageError(`--seeds lists a seed twice: ${text}`);
  if (out.length < 2) throw new UsageError('--seeds needs at least two seeds (the spread of one is not defined)');
  return out;
}

/**
 * The config once per seed, each a normal run folder (`seed-<n>`, resumable,
 * its steps keyed like any run), then one table: every row's mean over seeds
 * ± the standard deviation over seeds, beside the mean per-unit SE, so seed
 * noise and sampling noise are both visible.
 */
export async function runSeeds(loaded: LoadedConfig, seeds: number[], options: RunOptions): Promise<RunResults> {
  if (loaded.config.search) throw new LmrecError('E_CONFIG', '--seeds and a search section cannot be combined', { file: loaded.file, field: 'search' });
  const { config: resolved } = await prepareRun(loaded);
  const target = outputOf(loaded, options.output);
  if (!options.fresh && existsSync(join(target, 'config.json'))) {
    // a single run's folder: its results.json would be replaced by the summary over seeds
    throw new LmrecError('E_ARGUMENT', `${target} holds a single run of this config`, { field: 'output', hint: 'give the seeds their own folder: --output <dir>' });
  }
  const root = await prepareOutput(target, { fresh: options.fresh, pluginsFrom: loaded.baseDir });
  const runs: RunResults[] = [];
  for (const [i, seed] of seeds.entries()) {
    options.progress.log?.(`seed ${seed} (${i + 1}/${seeds.length})`);
    const config = validateConfig({ ...loaded.config, seed }, `${loaded.file} (seed ${seed})`, (path) => loaded.lineOf(path.join('.')));
    const { results } = await runConfig({ ...loaded, config }, { ...options, fresh: false, output: join(root, `seed-${seed}`), print: () => {} });
    runs.push(results);
  }
  const experiments = runs[0].experiments.map((exp, e) => summariseSeeds(exp, runs.map((r) => r.experiments[e]), seeds));
  const results: RunResults = redact({ ...runs[0], name: loaded.config.name, seed: seeds[0], config: { ...resolved, seeds }, experiments });
  await writeJsonAtomic(join(root, 'results.json'), results);
  await writeFileAtomic(join(root, 'report.html'), renderReport(results));
  const print = options.print ?? ((text: string) => process.stdout.write(`${text}\n`));
  for (const exp of experiments) print(`\n${textTable(exp)}\n${exp.notes!.join('\n')}`);
  print(`\nresults: ${join(root, 'results.json')}\nreport:  ${join(root, 'report.html')}`);
  return results;
}

/** One experiment's rows over seeds: `mean` is the mean over seeds, `se` the sample standard deviation over seeds. */
export function summariseSeeds(first: ExperimentResult, perSeed: ExperimentResult[], seeds: number[]): ExperimentResult {
  const rows: ModelRow[] = first.rows.map((row) => {
    const same = perSeed.map((exp, s) => {
      const found = exp.rows.find((r) => r.label === row.label);
      if (!found) throw new LmrecError('E_STATE', `row "${row.label}" is missing from the run with seed ${seeds[s]}`);
      return found;
    });
    const metrics: ModelRow['metrics'] = {};
    const extra: Record<string, number | string> = {};
    for (const key of first.metricKeys) {
      const values = same.map((r) => r.metrics[key]).filter((m) => m !== undefined);
      if (values.length !== seeds.length) continue;
      const means = values.map((m) => m.mean);
      metrics[key] = { mean: mean(means), se: sampleStd(means) };
      extra[`${key} min..max`] = `${Math.min(...means).toFixed(4)}..${Math.max(...means).toFixed(4)}`;
      extra[`${key} mean per-unit SE`] = mean(values.map((m) => m.se));
    }
    return { label: row.label, metrics, extra, ...(row.source ? { source: row.source } : {}) };
  });
  const main = first.mainMetric ?? first.metricKeys[0];
  return {
    title: `${first.title} (mean over seeds ${seeds.join(', ')})`,
    kind: first.kind,
    ...(first.protocol ? { protocol: first.protocol } : {}),
    metricKeys: first.metricKeys,
    mainMetric: main,
    ...(first.baseline ? { baseline: first.baseline } : {}),
    rows,
    notes: [
      `± is the standard deviation over the ${seeds.length} seeds (n - 1), not a standard error: everything the config's seed drives varies (a random split, initial weights, sampling). Each row's mean per-unit SE is in results.json (extra).`,
      ...rows.map((r) => `${r.label}: ${main} per seed ${r.extra?.[`${main} min..max`] ?? '-'}, mean per-unit SE ${formatSe(r.extra?.[`${main} mean per-unit SE`])}`),
    ],
  };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function sampleStd(xs: number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

const formatSe = (v: number | string | undefined) => (typeof v === 'number' ? v.toFixed(4) : '-');

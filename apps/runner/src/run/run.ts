import { join, resolve } from 'node:path';
import { LmrecError, writeFileAtomic, writeJsonAtomic, type PluginRegistry, type ProgressReporter } from '@lmrec/core';
import { startBackend } from '../backend.js';
import type { LoadedConfig } from '../config/load.js';
import { resolveConfigPaths } from '../config/resolve.js';
import type { RunConfig } from '../config/schema.js';
import { assemble } from '../container.js';
import { createContext } from '../context.js';
import { EXPERIMENTS } from '../experiments/index.js';
import { planRun } from '../plan/plan.js';
import { renderReport } from '../report/html.js';
import { textTable } from '../report/table.js';
import type { RunResults } from '../report/types.js';
import { addSignificance } from '../significance.js';
import { prepareOutput } from './output.js';
import { redact } from './redact.js';

export interface RunOptions {
  /** Output folder (defaults to the config's `output`, else runs/<name>). */
  output?: string;
  progress: ProgressReporter;
  /** Where tables are printed (stdout by default). */
  print?: (text: string) => void;
  /** Start over: delete the finished steps, checkpoints and results of an earlier run in the folder. */
  fresh?: boolean;
}

export interface RunOutcome {
  results: RunResults;
  dir: string;
  report: string;
}

/** The folder a run writes to: --output, else the config's `output`, else runs/<name> in the current folder. */
export function outputOf(loaded: LoadedConfig, output?: string): string {
  return resolve(output ?? (loaded.config.output ? resolve(loaded.baseDir, loaded.config.output) : join(process.cwd(), 'runs', loaded.config.name)));
}

/** Plugins loaded, the config validated against them (every section, before any work) and its paths made absolute. */
export async function prepareRun(loaded: LoadedConfig): Promise<{ config: RunConfig; registry: PluginRegistry }> {
  const { registry } = await assemble(loaded.config.plugins, loaded.baseDir);
  planRun(loaded.config, registry, { file: loaded.file, lineOf: loaded.lineOf });
  return { config: resolveConfigPaths(loaded.config, registry, loaded.baseDir), registry };
}

/** Runs a validated config: plan, run the experiment, write results.json and report.html (secrets redacted). */
export async function runConfig(loaded: LoadedConfig, options: RunOptions): Promise<RunOutcome> {
  const print = options.print ?? ((text: string) => process.stdout.write(`${text}\n`));
  const { config, registry } = await prepareRun(loaded);
  const dir = await prepareOutput(outputOf(loaded, options.output), { fresh: options.fresh, pluginsFrom: loaded.baseDir });
  await writeJsonAtomic(join(dir, 'config.json'), config);
  const started = new Date();
  const t0 = performance.now();
  const backend = await startBackend(registry, config.backend);
  options.progress.log?.(`backend: ${backend.name}${backend.skipped.length ? ` (skipped ${backend.skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')})` : ''}`);
  const run = EXPERIMENTS[config.experiment];
  if (!run) throw new LmrecError('E_CONFIG', `no experiment kind "${config.experiment}"`, { field: 'experiment' });
  const ctx = createContext({ config, file: loaded.file, outDir: dir, registry, progress: options.progress, lineOf: loaded.lineOf });
  const experiments = (await run(ctx)).map((exp) => addSignificance(exp, config.seed));
  await ctx.fingerprints.save();
  const results: RunResults = redact({
    name: config.name,
    description: config.description,
    seed: config.seed,
    backend: backend.name,
    startedAt: started.toISOString(),
    seconds: (performance.now() - t0) / 1000,
    config,
    experiments,
  });
  await writeJsonAtomic(join(dir, 'results.json'), results);
  const report = join(dir, 'report.html');
  await writeFileAtomic(report, renderReport(results));
  for (const exp of results.experiments) print(`\n${textTable(exp)}`);
  print(`\nresults: ${join(dir, 'results.json')}\nreport:  ${report}`);
  return { results, dir, report };
}

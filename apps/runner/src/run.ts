import { existsSync, promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { initBackend, LmrecError, writeFileAtomic, writeJsonAtomic, type BackendCandidate, type ProgressReporter } from '@lmrec/core';
import { assemble } from './container.js';
import { createContext } from './context.js';
import type { LoadedConfig } from './config/load.js';
import { EXPERIMENTS } from './experiments/index.js';
import { renderReport } from './report/html.js';
import { textTable } from './report/table.js';
import type { RunResults } from './report/types.js';
import { addSignificance } from './significance.js';

export interface RunOptions {
  /** Output folder (defaults to the config's `output`, else runs/<name>). */
  output?: string;
  progress: ProgressReporter;
  /** Where tables are printed (stdout by default). */
  print?: (text: string) => void;
  /** Start over: delete finished steps and checkpoints of an earlier run. */
  fresh?: boolean;
}

export interface RunOutcome {
  results: RunResults;
  dir: string;
  report: string;
}

/** Runs a validated config: assemble plugins, run the experiment, write results.json and report.html. */
export async function runConfig(loaded: LoadedConfig, options: RunOptions): Promise<RunOutcome> {
  const { config, baseDir } = loaded;
  const print = options.print ?? ((text: string) => process.stdout.write(`${text}\n`));
  const dir = resolve(options.output ?? (config.output ? resolve(baseDir, config.output) : join(process.cwd(), 'runs', config.name)));
  if (options.fresh && existsSync(dir)) await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(dir, { recursive: true });
  await writeJsonAtomic(join(dir, 'config.json'), config);

  const started = new Date();
  const t0 = performance.now();
  const { registry } = await assemble(config.plugins, baseDir);
  // Every TensorBackend plugin competes, lmrec's own and third-party ones, by priority.
  const candidates = registry.names('TensorBackend').map((name) => registry.create<BackendCandidate>('TensorBackend', name, {}));
  const backend = await initBackend({ prefer: config.backend, candidates });
  options.progress.log?.(`backend: ${backend.name}${backend.skipped.length ? ` (skipped ${backend.skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')})` : ''}`);
  const run = EXPERIMENTS[config.experiment];
  if (!run) throw new LmrecError('E_CONFIG', `no experiment kind "${config.experiment}"`, { field: 'experiment' });
  const ctx = createContext(config, baseDir, dir, registry, options.progress);
  const experiments = (await run(ctx)).map((exp) => addSignificance(exp, config.seed));

  const results: RunResults = {
    name: config.name,
    description: config.description,
    seed: config.seed,
    backend: backend.name,
    startedAt: started.toISOString(),
    seconds: (performance.now() - t0) / 1000,
    config,
    experiments,
  };
  await writeJsonAtomic(join(dir, 'results.json'), results);
  const report = join(dir, 'report.html');
  await writeFileAtomic(report, renderReport(results));
  for (const exp of experiments) print(`\n${textTable(exp)}`);
  print(`\nresults: ${join(dir, 'results.json')}\nreport:  ${report}`);
  return { results, dir, report };
}

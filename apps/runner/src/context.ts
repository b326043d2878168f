import { existsSync, promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeJsonAtomic, type PluginRegistry, type ProgressReporter } from '@lmrec/core';
import type { RunConfig } from './config/schema.js';
import type { ExperimentResult } from './report/types.js';

/** What an experiment kind gets to run with. */
export interface ExperimentContext {
  config: RunConfig;
  /** Relative paths in the config resolve from here. */
  baseDir: string;
  outDir: string;
  registry: PluginRegistry;
  progress: ProgressReporter;
  log(message: string): void;
  /**
   * Runs a named step once per output folder: its JSON result is stored in
   * `steps/<key>.json` and reused when the run is resumed after a kill.
   */
  step<T>(key: string, run: (checkpointDir: string) => Promise<T>): Promise<T>;
  /** A path from the config, resolved against its folder. */
  path(p: string): string;
}

/** A label or key as a file name: runs of anything but letters, digits, '.', '_' and '-' become '_'. */
export function safeName(key: string): string {
  return key.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/** Where a run saves the model of a table row. */
export function modelDir(outDir: string, label: string): string {
  return join(outDir, 'models', safeName(label));
}

export type ExperimentRunner = (ctx: ExperimentContext) => Promise<ExperimentResult[]>;

export function createContext(config: RunConfig, baseDir: string, outDir: string, registry: PluginRegistry, progress: ProgressReporter): ExperimentContext {
  return {
    config,
    baseDir,
    outDir,
    registry,
    progress,
    log: (message) => (progress.log ? progress.log(message) : undefined),
    path: (p) => resolve(baseDir, p),
    async step<T>(key: string, run: (checkpointDir: string) => Promise<T>): Promise<T> {
      const safe = safeName(key);
      const file = join(outDir, 'steps', `${safe}.json`);
      if (existsSync(file)) {
        progress.log?.(`${key}: reusing the finished result in ${file}`);
        return JSON.parse(await fs.readFile(file, 'utf8')) as T;
      }
      const value = await run(join(outDir, 'checkpoints', safe));
      await writeJsonAtomic(file, value);
      return value;
    },
  };
}

import { existsSync, promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEPS, depsOf, resolveDeps, resolvePathOptions, writeJsonAtomic, type ExtensionPoint, type PluginDeps, type PluginRegistry, type ProgressReporter } from '@lmrec/core';
import { Container } from 'inversify';
import type { RunConfig } from './config/schema.js';
import type { ExperimentResult } from './report/types.js';

/** A plugin named in a config: its name and raw options. */
export interface PluginUse {
  name: string;
  options?: Record<string, unknown>;
}

/** What an experiment kind gets to run with. */
export interface ExperimentContext {
  config: RunConfig;
  /** Relative paths in the config resolve from here. */
  baseDir: string;
  outDir: string;
  registry: PluginRegistry;
  progress: ProgressReporter;
  /** The run's dependencies (seed, progress, embedding cache); a step binds more in a child container. */
  container: Container;
  log(message: string): void;
  /**
   * Runs a named step once per output folder: its JSON result is stored in
   * `steps/<key>.json` and reused when the run is resumed after a kill.
   */
  step<T>(key: string, run: (checkpointDir: string) => Promise<T>): Promise<T>;
  /** A path from the config, resolved against its folder. */
  path(p: string): string;
  /**
   * A plugin of the config: options checked against its schema (errors name
   * `field`, e.g. "models.0"), path options resolved against the config's
   * folder, the dependencies it declares resolved from `scope` (default: the run's container).
   */
  create<T>(point: ExtensionPoint, use: PluginUse, field: string, scope?: Container): Promise<T>;
  /** The same with dependencies given directly (synchronous: e.g. aggregators built inside a training loop). */
  createWith<T>(point: ExtensionPoint, use: PluginUse, field: string, deps: Iterable<readonly [symbol, unknown]>): T;
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

function runContainer(config: RunConfig, outDir: string, progress: ProgressReporter): Container {
  const container = new Container();
  container.bind(DEPS.Seed).toConstantValue(config.seed);
  container.bind(DEPS.Progress).toConstantValue(progress);
  container.bind(DEPS.EmbeddingCache).toConstantValue({ dir: join(outDir, 'embedding-cache') });
  return container;
}

export function createContext(config: RunConfig, baseDir: string, outDir: string, registry: PluginRegistry, progress: ProgressReporter): ExperimentContext {
  const container = runContainer(config, outDir, progress);
  const prepare = (point: ExtensionPoint, use: PluginUse, field: string) => {
    const site = { field: `${field}.options` };
    const parsed = registry.parseOptions(point, use.name, use.options ?? {}, site);
    return { site, options: resolvePathOptions(registry.get(point, use.name).options, parsed, baseDir) };
  };
  const make = <T>(point: ExtensionPoint, use: PluginUse, field: string, deps: PluginDeps): T => {
    const { site, options } = prepare(point, use, field);
    return registry.create<T>(point, use.name, options, deps, site);
  };
  return {
    config,
    baseDir,
    outDir,
    registry,
    progress,
    container,
    log: (message) => (progress.log ? progress.log(message) : undefined),
    path: (p) => resolve(baseDir, p),
    async create<T>(point: ExtensionPoint, use: PluginUse, field: string, scope = container): Promise<T> {
      prepare(point, use, field); // bad options fail before any dependency is computed
      return make<T>(point, use, field, await resolveDeps(scope, registry.get(point, use.name)));
    },
    createWith: <T>(point: ExtensionPoint, use: PluginUse, field: string, deps: Iterable<readonly [symbol, unknown]>) => make<T>(point, use, field, depsOf(deps)),
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

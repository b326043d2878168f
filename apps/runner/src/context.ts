import { join } from 'node:path';
import { DEPS, depsOf, resolveDeps, type ExtensionPoint, type OptionsSite, type PluginFactory, type PluginRegistry, type ProgressReporter } from '@lmrec/core';
import { Container } from 'inversify';
import type { RunConfig } from './config/schema.js';
import type { ExperimentResult } from './report/types.js';
import { Fingerprints } from './steps/fingerprint.js';
import { pluginMaterial, type PluginMaterial } from './steps/material.js';
import { StepStore } from './steps/store.js';

/** A plugin named in a config: its name and raw options. */
export interface PluginUse {
  name: string;
  options?: Record<string, unknown>;
}

/**
 * A dependency a step's pipeline can provide by token: its value (computed
 * on first use) and what it is made from, for step keys (`undefined`: it does
 * not change results, e.g. progress or a cache folder).
 */
export interface DepSource {
  token: symbol;
  material?: () => Promise<unknown> | unknown;
  get: () => Promise<unknown> | unknown;
  /** How a saved model gets this dependency back (written beside the model), e.g. the encoder's plugin spec. */
  spec?: unknown;
}

/** What an experiment kind runs with. */
export interface ExperimentContext {
  /** The validated config, every path option absolute. */
  config: RunConfig;
  /** The config file (for messages). */
  file: string;
  outDir: string;
  registry: PluginRegistry;
  progress: ProgressReporter;
  steps: StepStore;
  fingerprints: Fingerprints;
  /** The run's dependencies (seed, progress, embedding cache). */
  base: readonly DepSource[];
  log(message: string): void;
  /** Where a config field sits, for option errors (file and line). */
  site(field: string): OptionsSite;
  /** A config field as an error location (file, line, field). */
  where(field: string): { file: string; field: string; line?: number };
  /**
   * A plugin of the config: options checked against its schema (errors name
   * `field`, e.g. "models.0"), the dependencies it declares resolved from `deps` (plus the run's).
   */
  create<T>(point: ExtensionPoint, use: PluginUse, field: string, deps?: readonly DepSource[]): Promise<T>;
  /** The same with dependencies given directly (synchronous: e.g. aggregators built inside a training loop). */
  createWith<T>(point: ExtensionPoint, use: PluginUse, field: string, deps: Iterable<readonly [symbol, unknown]>): T;
  /** What a step key holds of a plugin: name, package and version, options with defaults filled and data files fingerprinted. */
  material(point: ExtensionPoint, use: PluginUse, field: string): Promise<PluginMaterial>;
  /** The materials of the dependencies `factory` declares that `deps` (plus the run's) provide, by token name. */
  depMaterials(factory: PluginFactory, deps?: readonly DepSource[]): Promise<Record<string, unknown>>;
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

export interface ContextOptions {
  config: RunConfig;
  file: string;
  outDir: string;
  registry: PluginRegistry;
  progress: ProgressReporter;
  lineOf?: (dotted: string) => number | undefined;
}

const tokenName = (token: symbol) => token.description ?? String(token);

/** A child container binding each source's token to its (memoised) value. */
function scopeOf(sources: readonly DepSource[]): Container {
  const scope = new Container();
  for (const source of sources) {
    let once: Promise<unknown> | undefined;
    if (scope.isBound(source.token)) scope.unbind(source.token);
    scope.bind(source.token).toDynamicValue(() => (once ??= Promise.resolve().then(source.get)));
  }
  return scope;
}

function declared(factory: PluginFactory): symbol[] {
  return [...(factory.requires ?? []), ...(factory.optional ?? [])];
}

export function createContext(o: ContextOptions): ExperimentContext {
  const { config, registry, progress, outDir } = o;
  const fingerprints = new Fingerprints(join(outDir, '.lmrec', 'fingerprints.json'));
  const base: DepSource[] = [
    { token: DEPS.Seed, material: () => config.seed, get: () => config.seed },
    { token: DEPS.Progress, get: () => progress },
    { token: DEPS.EmbeddingCache, get: () => ({ dir: join(outDir, 'embedding-cache') }) },
  ];
  const log = (message: string) => progress.log?.(message);
  const site = (field: string): OptionsSite => ({ field, file: o.file, lineOf: o.lineOf });
  const options = (point: ExtensionPoint, use: PluginUse, field: string) => registry.parseOptions(point, use.name, use.options ?? {}, site(`${field}.options`));
  const all = (deps: readonly DepSource[]) => [...base, ...deps];
  return {
    config,
    file: o.file,
    outDir,
    registry,
    progress,
    fingerprints,
    base,
    steps: new StepStore(outDir, log),
    log,
    site,
    where: (field) => ({ file: o.file, field, line: o.lineOf?.(field) }),
    async create<T>(point: ExtensionPoint, use: PluginUse, field: string, deps: readonly DepSource[] = []): Promise<T> {
      const parsed = options(point, use, field); // bad options fail before any dependency is computed
      const factory = registry.get(point, use.name);
      const resolved = await resolveDeps(scopeOf(all(deps).filter((d) => declared(factory).includes(d.token))), factory);
      return registry.create<T>(point, use.name, parsed, resolved, site(`${field}.options`));
    },
    createWith: <T>(point: ExtensionPoint, use: PluginUse, field: string, deps: Iterable<readonly [symbol, unknown]>) =>
      registry.create<T>(point, use.name, options(point, use, field), depsOf(deps), site(`${field}.options`)),
    material: (point, use, field) => pluginMaterial(registry, fingerprints, point, use.name, options(point, use, field)),
    async depMaterials(factory, deps = []) {
      const out: Record<string, unknown> = {};
      const wanted = declared(factory);
      for (const source of all(deps)) {
        if (wanted.includes(source.token) && source.material) out[tokenName(source.token)] = await source.material();
      }
      return out;
    },
  };
}

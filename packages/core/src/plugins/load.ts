import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Container, ContainerModule } from 'inversify';
import { LmrecError } from '../errors.js';
import type { PluginFactory } from '../interfaces/plugin.js';
import { EXTENSION_POINTS, TYPES } from '../tokens.js';
import { PluginRegistry } from './registry.js';

/** A container with the plugin registry bound, ready for plugin modules. */
export function createContainer(): Container {
  const container = new Container();
  // Transient: a registry resolved after more plugins were loaded sees them too.
  container
    .bind(TYPES.PluginRegistry)
    .toDynamicValue((context) => new PluginRegistry(Object.fromEntries(EXTENSION_POINTS.map((point) => [point, context.getAll<PluginFactory>(TYPES[point], { optional: true })]))));
  return container;
}

/**
 * A ContainerModule, also when it comes from another copy of inversify (a
 * plugin package with its own node_modules): same shape, `id` + `load`.
 */
export function isContainerModule(value: unknown): value is ContainerModule {
  if (value instanceof ContainerModule) return true;
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { id?: unknown; load?: unknown };
  return typeof candidate.id === 'number' && typeof candidate.load === 'function';
}

/**
 * Imports each module (an npm package name resolved from `cwd`, or a path
 * relative to `cwd`) and loads every ContainerModule it exports (default or
 * named) into the container. Returns the specifiers loaded.
 */
export async function loadPlugins(container: Container, specifiers: readonly string[], cwd = process.cwd()): Promise<string[]> {
  const loaded: string[] = [];
  for (const spec of specifiers) {
    const mod = await importPlugin(spec, cwd);
    const modules = [...new Set(Object.values(mod).filter(isContainerModule))];
    if (modules.length === 0) {
      throw new LmrecError('E_PLUGIN_MODULE', `plugin "${spec}" exports no inversify ContainerModule`, {
        hint: 'export a ContainerModule (default or named) that binds your factories under TYPES',
      });
    }
    // loadAsync: a plugin module may bind asynchronously (e.g. after reading a file).
    await container.loadAsync(...modules);
    try {
      container.get(TYPES.PluginRegistry); // a duplicate name fails here, naming both packages
    } catch (error) {
      await container.unloadAsync(...modules);
      if (!(error instanceof LmrecError)) throw error;
      throw new LmrecError(error.code, `plugin "${spec}": ${error.detail}`, { hint: error.hint, cause: error });
    }
    loaded.push(spec);
  }
  return loaded;
}

async function importPlugin(spec: string, cwd: string): Promise<Record<string, unknown>> {
  const isPath = spec.startsWith('.') || isAbsolute(spec);
  let target: string | undefined;
  try {
    // Bare names resolve from the user's project, not from lmrec's own folder.
    target = isPath ? resolve(cwd, spec) : resolvePackage(spec, cwd);
    if (target === undefined) throw new Error(`package "${spec}" not found from ${cwd}`);
    return await import(pathToFileURL(target).href);
  } catch (error) {
    throw new LmrecError('E_PLUGIN_IMPORT', `cannot import plugin "${spec}": ${(error as Error).message}`, {
      hint: isPath ? `check the path (resolved from ${cwd})` : `install it in the project: pnpm add ${spec}`,
      cause: error,
    });
  }
}

/** Entry file of an installed package, by require resolution or, for ESM-only packages, its exports map. */
function resolvePackage(spec: string, cwd: string): string | undefined {
  try {
    return createRequire(join(cwd, 'package.json')).resolve(spec);
  } catch {
    // ESM-only (an "exports" map with only "import"): read it ourselves below.
  }
  const parts = spec.split('/');
  const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  const subpath = `.${spec.slice(name.length)}`;
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const pkgDir = join(dir, 'node_modules', name);
    const pkgFile = join(pkgDir, 'package.json');
    if (existsSync(pkgFile)) {
      const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { exports?: unknown; module?: string; main?: string };
      const entry = exportTarget(pkg.exports, subpath) ?? (subpath === '.' ? (pkg.module ?? pkg.main ?? 'index.js') : subpath);
      return join(pkgDir, entry);
    }
    if (dirname(dir) === dir) return undefined;
  }
}

function exportTarget(exports: unknown, subpath: string): string | undefined {
  if (exports === undefined || exports === null) return undefined;
  if (typeof exports === 'string') return subpath === '.' ? exports : undefined;
  const map = exports as Record<string, unknown>;
  const keys = Object.keys(map);
  const entry = keys.length > 0 && keys.every((k) => k.startsWith('.')) ? map[subpath] : subpath === '.' ? map : undefined;
  return pickCondition(entry);
}

function pickCondition(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (Array.isArray(entry)) return entry.map(pickCondition).find((e) => e !== undefined);
  if (typeof entry !== 'object' || entry === null) return undefined;
  const conditions = entry as Record<string, unknown>;
  for (const key of ['node', 'import', 'default']) {
    const found = pickCondition(conditions[key]);
    if (found !== undefined) return found;
  }
  return undefined;
}

import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Container, ContainerModule } from 'inversify';
import { LmrecError } from '../errors.js';
import { TYPES } from '../tokens.js';
import { PluginRegistry } from './registry.js';

/** A container with the plugin registry bound, ready for plugin modules. */
export function createContainer(): Container {
  const container = new Container();
  container.bind(TYPES.PluginRegistry).to(PluginRegistry).inSingletonScope();
  return container;
}

/**
 * Imports each module (an npm package name, or a path relative to `cwd`)
 * and loads every ContainerModule it exports into the container.
 */
export async function loadPlugins(container: Container, specifiers: readonly string[], cwd = process.cwd()): Promise<string[]> {
  const loaded: string[] = [];
  for (const spec of specifiers) {
    const mod = await importPlugin(spec, cwd);
    const modules = Object.values(mod).filter((value): value is ContainerModule => value instanceof ContainerModule);
    if (modules.length === 0) {
      throw new LmrecError('E_PLUGIN_MODULE', `plugin "${spec}" exports no inversify ContainerModule`, {
        hint: 'export a ContainerModule (default or named) that binds your factories under TYPES',
      });
    }
    await container.load(...modules);
    loaded.push(spec);
  }
  return loaded;
}

async function importPlugin(spec: string, cwd: string): Promise<Record<string, unknown>> {
  const isPath = spec.startsWith('.') || isAbsolute(spec);
  try {
    if (isPath) return await import(pathToFileURL(resolve(cwd, spec)).href);
    // Resolve bare names from the user's project, not from lmrec's own folder.
    let target = spec;
    try {
      target = pathToFileURL(createRequire(join(cwd, 'package.json')).resolve(spec)).href;
    } catch {
      // ESM-only packages without a require condition: let import() resolve it.
    }
    return await import(target);
  } catch (error) {
    throw new LmrecError('E_PLUGIN_IMPORT', `cannot import plugin "${spec}": ${(error as Error).message}`, {
      hint: isPath ? `check the path (resolved from ${cwd})` : `install it: pnpm add ${spec}`,
      cause: error,
    });
  }
}

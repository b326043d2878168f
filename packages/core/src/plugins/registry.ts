import { ContainerModule } from 'inversify';
import { LmrecError } from '../errors.js';
import type { PluginFactory } from '../interfaces/plugin.js';
import { EXTENSION_POINTS, TYPES, type ExtensionPoint } from '../tokens.js';

/**
 * Every named plugin factory, per extension point, as loaded into the
 * container. Resolves by name; an unknown name lists the known ones.
 * Built from the container's multi-bindings by `createContainer` (a factory
 * binding rather than parameter decorators, so any TypeScript transpiler,
 * including esbuild and tsx, can load this file).
 */
export class PluginRegistry {
  private readonly byPoint = new Map<ExtensionPoint, Map<string, PluginFactory>>();

  constructor(factories: Partial<Record<ExtensionPoint, readonly PluginFactory[]>> = {}) {
    for (const point of EXTENSION_POINTS) {
      const named = new Map<string, PluginFactory>();
      for (const factory of factories[point] ?? []) {
        if (named.has(factory.name)) {
          throw new LmrecError('E_PLUGIN_DUPLICATE', `two ${point} plugins are named "${factory.name}"`, {
            hint: 'plugin names must be unique per extension point',
          });
        }
        named.set(factory.name, factory);
      }
      this.byPoint.set(point, named);
    }
  }

  names(point: ExtensionPoint): string[] {
    return [...(this.byPoint.get(point)?.keys() ?? [])].sort();
  }

  get<T = unknown, O = any>(point: ExtensionPoint, name: string): PluginFactory<T, O> {
    const factory = this.byPoint.get(point)?.get(name);
    if (!factory) {
      const known = this.names(point);
      throw new LmrecError('E_PLUGIN_UNKNOWN', `no ${point} plugin named "${name}"`, {
        field: point,
        hint: known.length ? `known: ${known.join(', ')}` : `no ${point} plugins are loaded; add a plugin package to the config`,
      });
    }
    return factory as PluginFactory<T, O>;
  }

  create<T = unknown, O = any>(point: ExtensionPoint, name: string, options: O): T {
    return this.get<T, O>(point, name).create(options);
  }

  /** Every extension point with its plugin names (for `lmrec plugins`). */
  list(): Record<ExtensionPoint, { name: string; description?: string }[]> {
    const out = {} as Record<ExtensionPoint, { name: string; description?: string }[]>;
    for (const point of EXTENSION_POINTS) {
      out[point] = this.names(point).map((name) => ({ name, description: this.byPoint.get(point)!.get(name)!.description }));
    }
    return out;
  }
}

/**
 * A ContainerModule binding plugin factories under one extension point.
 * Bindings are unnamed so that the registry's multi-injection sees them all;
 * resolve by name through the PluginRegistry.
 */
export function pluginModule(point: ExtensionPoint, factories: readonly PluginFactory[]): ContainerModule {
  return pluginsModule({ [point]: factories });
}

/** Several extension points in one module. */
export function pluginsModule(bindings: Partial<Record<ExtensionPoint, readonly PluginFactory[]>>): ContainerModule {
  return new ContainerModule(({ bind }) => {
    for (const [point, factories] of Object.entries(bindings) as [ExtensionPoint, PluginFactory[]][]) {
      for (const factory of factories) bind(TYPES[point]).toConstantValue(factory);
    }
  });
}

import { ContainerModule } from 'inversify';
import type { z } from 'zod';
import { LmrecError } from '../errors.js';
import type { PluginDeps, PluginFactory, PluginOrigin } from '../interfaces/plugin.js';
import { EXTENSION_POINTS, TYPES, type ExtensionPoint } from '../tokens.js';
import { describeOptions, type OptionDoc } from './describe.js';
import { noDeps, requireDeps } from './deps.js';
import { parseOptions, type OptionsSite } from './options.js';

/** Origin of a factory bound without one (a module that did not use `pluginsModule`). */
export const UNKNOWN_ORIGIN: PluginOrigin = { package: '(unknown package)', version: '0.0.0' };

export function originOf(factory: PluginFactory): PluginOrigin {
  return factory.origin ?? UNKNOWN_ORIGIN;
}

/** What `lmrec plugins <name>` shows of one plugin. */
export interface PluginDescription {
  point: ExtensionPoint;
  name: string;
  description?: string;
  origin: PluginOrigin;
  options: OptionDoc[];
  requires: string[];
  optional: string[];
}

/**
 * Every named plugin factory, per extension point, as loaded into the
 * container. Resolves by name (an unknown name lists the known ones), checks
 * options against the plugin's schema and its dependencies before `create`.
 * Built from the container's multi-bindings by `createContainer` (a factory
 * binding rather than parameter decorators, so any TypeScript transpiler can
 * load this file).
 */
export class PluginRegistry {
  private readonly byPoint = new Map<ExtensionPoint, Map<string, PluginFactory>>();

  constructor(factories: Partial<Record<ExtensionPoint, readonly PluginFactory[]>> = {}) {
    for (const point of EXTENSION_POINTS) {
      const named = new Map<string, PluginFactory>();
      for (const factory of factories[point] ?? []) {
        if (typeof (factory.options as { safeParse?: unknown } | undefined)?.safeParse !== 'function') throw schemaError(point, factory);
        const earlier = named.get(factory.name);
        if (earlier) throw duplicateError(point, earlier, factory);
        named.set(factory.name, factory);
      }
      this.byPoint.set(point, named);
    }
  }

  names(point: ExtensionPoint): string[] {
    return [...(this.byPoint.get(point)?.keys() ?? [])].sort();
  }

  has(point: ExtensionPoint, name: string): boolean {
    return this.byPoint.get(point)?.has(name) ?? false;
  }

  get<T = unknown, S extends z.ZodType = z.ZodType>(point: ExtensionPoint, name: string): PluginFactory<T, S> {
    const factory = this.byPoint.get(point)?.get(name);
    if (!factory) {
      const known = this.names(point);
      throw new LmrecError('E_PLUGIN_UNKNOWN', `no ${point} plugin named "${name}"`, {
        field: point,
        hint: known.length ? `known: ${known.join(', ')}` : `no ${point} plugins are loaded; add a plugin package to the config`,
      });
    }
    return factory as PluginFactory<T, S>;
  }

  /** The plugin's options, validated and with defaults filled (an LmrecError naming the key otherwise). */
  parseOptions(point: ExtensionPoint, name: string, raw: unknown, site: OptionsSite = {}): Record<string, unknown> {
    return parseOptions(this.get(point, name).options, raw, { owner: `${point} "${name}"`, ...site }) as Record<string, unknown>;
  }

  /**
   * Validate `raw` options, check the dependencies the plugin requires, create.
   * `deps` defaults to none (a plugin that requires some then fails, naming them).
   */
  create<T = unknown>(point: ExtensionPoint, name: string, raw: unknown = {}, deps: PluginDeps = noDeps, site: OptionsSite = {}): T {
    const factory = this.get<T>(point, name);
    const options = this.parseOptions(point, name, raw, site);
    return factory.create(options, requireDeps(`${point} "${name}"`, factory, deps));
  }

  /** Every extension point with its plugin names (for `lmrec plugins`). */
  list(): Record<ExtensionPoint, { name: string; description?: string; origin: PluginOrigin }[]> {
    const out = {} as Record<ExtensionPoint, { name: string; description?: string; origin: PluginOrigin }[]>;
    for (const point of EXTENSION_POINTS) {
      out[point] = this.names(point).map((name) => {
        const factory = this.byPoint.get(point)!.get(name)!;
        return { name, description: factory.description, origin: originOf(factory) };
      });
    }
    return out;
  }

  /** Options (types, defaults, docs) and dependencies of one plugin. */
  describe(point: ExtensionPoint, name: string): PluginDescription {
    const factory = this.get(point, name);
    const token = (s: symbol) => s.description ?? String(s);
    return {
      point,
      name,
      description: factory.description,
      origin: originOf(factory),
      options: describeOptions(factory.options),
      requires: (factory.requires ?? []).map(token),
      optional: (factory.optional ?? []).map(token),
    };
  }
}

function schemaError(point: ExtensionPoint, factory: PluginFactory): LmrecError {
  return new LmrecError('E_PLUGIN_MODULE', `${point} plugin "${factory.name}" from ${originOf(factory).package} declares no options schema`, {
    hint: 'define it with definePlugin({ name, options: z.strictObject({ ... }), create }) so its options are validated',
  });
}

function duplicateError(point: ExtensionPoint, a: PluginFactory, b: PluginFactory): LmrecError {
  const where = (f: PluginFactory) => `${originOf(f).package}@${originOf(f).version}`;
  return new LmrecError('E_PLUGIN_DUPLICATE', `two ${point} plugins are named "${a.name}": one from ${where(a)}, one from ${where(b)}`, {
    field: point,
    hint: 'plugin names must be unique per extension point: remove one package from the config, or rename its plugin',
  });
}

/**
 * A ContainerModule binding plugin factories, stamped with the package they
 * come from. Bindings are unnamed so that the registry's multi-injection sees
 * them all; resolve by name through the PluginRegistry.
 */
export function pluginsModule(origin: PluginOrigin, bindings: Partial<Record<ExtensionPoint, readonly PluginFactory<any, any>[]>>): ContainerModule {
  return new ContainerModule(({ bind }) => {
    for (const [point, factories] of Object.entries(bindings) as [ExtensionPoint, PluginFactory[]][]) {
      for (const factory of factories) bind(TYPES[point]).toConstantValue({ ...factory, origin: factory.origin ?? origin });
    }
  });
}

/** One extension point's factories in a module. */
export function pluginModule(origin: PluginOrigin, point: ExtensionPoint, factories: readonly PluginFactory<any, any>[]): ContainerModule {
  return pluginsModule(origin, { [point]: factories });
}

import type { Container } from 'inversify';
import { LmrecError } from '../errors.js';
import type { PluginDeps, PluginFactory } from '../interfaces/plugin.js';

const tokenName = (token: symbol) => token.description ?? String(token);

/** Dependencies from a plain map (tests, code that composes without a container). */
export function depsOf(entries: ReadonlyMap<symbol, unknown> | Iterable<readonly [symbol, unknown]>): PluginDeps {
  const map = new Map(entries);
  return {
    has: (token) => map.has(token) && map.get(token) !== undefined,
    get<T>(token: symbol): T {
      if (!map.has(token) || map.get(token) === undefined) {
        throw new LmrecError('E_PLUGIN_DEPENDENCY', `dependency ${tokenName(token)} is not provided`, {
          hint: 'declare it in the plugin\'s "requires" so the pipeline binds it',
        });
      }
      return map.get(token) as T;
    },
  };
}

export const noDeps: PluginDeps = depsOf([]);

/**
 * Checks that `deps` holds every token the factory requires (naming the ones
 * missing) and returns a view that also refuses tokens the factory never
 * declared, so a plugin cannot depend on something by accident.
 */
export function requireDeps(owner: string, factory: PluginFactory, deps: PluginDeps): PluginDeps {
  const required = factory.requires ?? [];
  const declared = new Set([...required, ...(factory.optional ?? [])]);
  const missing = required.filter((token) => !deps.has(token));
  if (missing.length) {
    throw new LmrecError('E_PLUGIN_DEPENDENCY', `${owner} needs ${missing.map(tokenName).join(', ')}, which this pipeline does not provide`, {
      hint: 'e.g. a model over item language vectors needs an "encoder" in the config or a dataset that ships item vectors',
    });
  }
  return {
    has: (token) => declared.has(token) && deps.has(token),
    get<T>(token: symbol): T {
      if (!declared.has(token)) {
        throw new LmrecError('E_PLUGIN_DEPENDENCY', `${owner} reads ${tokenName(token)} without declaring it in "requires" or "optional"`);
      }
      return deps.get<T>(token);
    },
  };
}

/**
 * Resolves the dependencies a factory declares from an inversify container
 * (bound values, possibly async dynamic values), as a synchronous PluginDeps.
 */
export async function resolveDeps(container: Container, factory: PluginFactory): Promise<PluginDeps> {
  const tokens = [...(factory.requires ?? []), ...(factory.optional ?? [])];
  const entries: [symbol, unknown][] = [];
  for (const token of tokens) {
    if (container.isBound(token)) entries.push([token, await container.getAsync(token)]);
  }
  return depsOf(entries);
}

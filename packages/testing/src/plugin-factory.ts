import { expect } from 'vitest';
import { createContainer, depsOf, describeOptions, PluginRegistry, TYPES, type ExtensionPoint, type PluginFactory, type PluginOrigin } from '@lmrec/core';
import { caught, expectLmrecError } from './numbers.js';
import { registerSuite, type Suite } from './suite.js';

export interface PluginFactoryCase<T = unknown> {
  /** Extension point the factory is bound under, e.g. "Aggregator". */
  point: ExtensionPoint;
  factory: PluginFactory<T, any>;
  /** Valid options for it. Default {}. */
  options?: Record<string, unknown>;
  /** Values of the dependency tokens it requires (and any optional ones to pass). */
  deps?: Iterable<readonly [symbol, unknown]>;
  /** Checks on the instance created with every dependency in `deps` (e.g. its options arrived). */
  check?(instance: T): unknown | Promise<unknown>;
  /** Frees an instance the checks created. */
  dispose?(instance: T): unknown;
  /** The package's ContainerModule: it must bind this factory under `point`, stamped with `origin`. */
  module?: ContainerModule;
  origin?: PluginOrigin;
}

/** A ContainerModule as core's container takes it (typed through @lmrec/core, so no inversify import is needed). */
type ContainerModule = Parameters<ReturnType<typeof createContainer>['loadAsync']>[0];

const tokenName = (token: symbol) => token.description ?? String(token);

/**
 * The plugin-factory contract: a config-friendly name and a description,
 * a strict options schema (an unknown key is an LmrecError naming it, with a
 * did-you-mean), every option documented, dependencies declared (creation
 * without a required one fails naming the token; optional ones may be
 * absent), and, given the package's module, bound with its origin.
 */
export function pluginFactorySuite<T>(c: PluginFactoryCase<T>): Suite {
  const f = c.factory;
  const registry = new PluginRegistry({ [c.point]: [f] });
  const deps = new Map(c.deps ?? []);
  const required = f.requires ?? [];
  const create = (raw: unknown, entries: Map<symbol, unknown>) => registry.create<T>(c.point, f.name, raw, depsOf(entries));
  const createAndFree = async (raw: unknown, entries: Map<symbol, unknown>, check = true) => {
    const instance = create(raw, entries);
    expect(instance, 'create returned nothing').toBeDefined();
    if (check) await c.check?.(instance);
    c.dispose?.(instance);
  };
  const checks: Suite['checks'] = [
    {
      title: 'has a config-friendly name, a description and a documented option for every key',
      run: () => {
        expect(f.name).toMatch(/^[a-z0-9][a-z0-9._-]*$/);
        expect(typeof f.description === 'string' && f.description.length > 0, 'description').toBe(true);
        for (const option of describeOptions(f.options)) expect(option.description, `option "${option.key}" has no .describe() doc`).toBeTruthy();
      },
    },
    {
      title: 'creates an instance from valid options and its declared dependencies (optional ones may be absent)',
      run: async () => {
        await createAndFree(c.options ?? {}, deps);
        const onlyRequired = new Map([...deps].filter(([token]) => required.includes(token)));
        await createAndFree(c.options ?? {}, onlyRequired, false);
      },
    },
    {
      title: 'rejects an unknown option with an LmrecError naming it (with a did-you-mean)',
      run: async () => {
        const keys = describeOptions(f.options).map((o) => o.key);
        const typo = keys.length ? `${keys[0]}x` : 'unknownOption';
        const error = await caught(() => create({ ...c.options, [typo]: 1 }, deps));
        expectLmrecError(error, 'E_CONFIG');
        expect(error.field).toBe(typo);
        if (keys.length) expect(error.message).toContain(`did you mean "${keys[0]}"`);
      },
    },
    {
      title: 'fails without a required dependency, naming its token',
      run: async () => {
        for (const token of required) {
          expect(deps.has(token), `case gives no value for the required ${tokenName(token)}`).toBe(true);
          const error = await caught(() => create(c.options ?? {}, new Map([...deps].filter(([t]) => t !== token))));
          expectLmrecError(error, 'E_PLUGIN_DEPENDENCY');
          expect(error.message).toContain(tokenName(token));
        }
      },
    },
  ];
  if (c.module) {
    checks.push({
      title: 'is bound by the package module under its extension point, with its origin',
      run: async () => {
        const container = createContainer();
        await container.loadAsync(c.module!);
        const bound = container.get<PluginRegistry>(TYPES.PluginRegistry);
        expect(bound.names(c.point)).toContain(f.name);
        if (c.origin) expect(bound.describe(c.point, f.name).origin).toEqual(c.origin);
      },
    });
  }
  return { title: `plugin factory contract: ${c.point} "${f.name}"`, checks };
}

/** Registers the plugin-factory contract for one factory. */
export function pluginFactoryContract<T>(c: PluginFactoryCase<T>): void {
  registerSuite(pluginFactorySuite(c));
}

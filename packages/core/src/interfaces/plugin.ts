import type { z } from 'zod';

/** The npm package (and version) a plugin comes from: step keys and duplicate-name errors name it. */
export interface PluginOrigin {
  readonly package: string;
  readonly version: string;
}

/**
 * What `create` receives besides its options: the pipeline's dependencies
 * (a TextEncoder, the item vectors, the backbone, ...), resolved by token from
 * the container. See `DEPS` for the tokens lmrec's runner provides.
 */
export interface PluginDeps {
  /** The dependency bound under `token`; an LmrecError naming the plugin and the token when it is absent. */
  get<T>(token: symbol): T;
  has(token: symbol): boolean;
}

/**
 * What a plugin package binds under an extension-point token: a name, the
 * options it accepts (a zod schema with defaults and `.describe()` docs, strict:
 * an unknown key is an error) and a factory. The container never constructs
 * classes itself, so every class stays usable with `new` and plain arguments.
 */
export interface PluginFactory<T = unknown, S extends z.ZodType = z.ZodType> {
  /** Name used in configs, e.g. "rnn" for an Aggregator. */
  readonly name: string;
  /** One line for `lmrec plugins`. */
  readonly description?: string;
  /** Options schema: validated (and defaults filled) before `create` is called. */
  readonly options: S;
  /** Dependency tokens `create` reads with `deps.get`; the pipeline must provide them. */
  readonly requires?: readonly symbol[];
  /** Dependency tokens `create` uses when present (`deps.has`). */
  readonly optional?: readonly symbol[];
  /** Set by `pluginsModule` (or by `loadPlugins` for a module that did not say). */
  readonly origin?: PluginOrigin;
  create(options: z.output<S>, deps: PluginDeps): T;
}

export interface PluginSpec<T, S extends z.ZodType> {
  name: string;
  description?: string;
  options: S;
  requires?: readonly symbol[];
  optional?: readonly symbol[];
  create(options: z.output<S>, deps: PluginDeps): T;
}

export function definePlugin<T, S extends z.ZodType>(spec: PluginSpec<T, S>): PluginFactory<T, S> {
  return { ...spec };
}

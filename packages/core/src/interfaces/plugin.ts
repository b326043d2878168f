/**
 * What a plugin package binds under an extension-point token: a name and a
 * factory taking plain options. The container never constructs model classes
 * itself, so every class stays usable with `new` and plain arguments.
 */
export interface PluginFactory<T = unknown, O = any> {
  /** Name used in configs, e.g. "rnn" for an Aggregator. */
  readonly name: string;
  /** One line for `lmrec plugins`. */
  readonly description?: string;
  create(options: O): T;
}

export function definePlugin<T, O = any>(name: string, create: (options: O) => T, description?: string): PluginFactory<T, O> {
  return { name, create, description };
}

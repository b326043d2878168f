import { definePlugin, DEPS, pluginModule, type Aggregator } from '@lmrec/core';
import { AttentionPool } from './attention-pool.js';
import { attentionPoolOptions } from './options.js';
import { ORIGIN } from './origin.js';

export { AttentionPool, type AttentionPoolConfig } from './attention-pool.js';
export { attentionPoolOptions, type AttentionPoolOptions } from './options.js';
export { ORIGIN } from './origin.js';

/**
 * The plugin: its name in configs, its options schema, the dependencies it
 * reads (declared, so the pipeline provides them and a missing one fails
 * naming the token) and a factory. The class stays usable with plain `new`.
 */
export const attentionPoolPlugin = definePlugin<Aggregator, typeof attentionPoolOptions>({
  name: 'attention-pool',
  description: 'softmax attention over the title tokens with a learned query (example plugin)',
  options: attentionPoolOptions,
  requires: [DEPS.InputDim],
  optional: [DEPS.Seed],
  create: (o, deps) =>
    new AttentionPool({
      inputDim: deps.get<number>(DEPS.InputDim),
      outDim: o.outDim,
      temperature: o.temperature,
      seed: o.seed ?? (deps.has(DEPS.Seed) ? deps.get<number>(DEPS.Seed) : undefined),
    }),
});

/** What lmrec loads from `plugins: [lmrec-plugin-attention-pool]`: the Aggregator, stamped with this package's name and version. */
export const attentionPoolModule = pluginModule(ORIGIN, 'Aggregator', [attentionPoolPlugin]);

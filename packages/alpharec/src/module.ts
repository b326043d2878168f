import { definePlugin, DEPS, pluginModule, type PluginDeps, type Recommender, type TextEncoder } from '@lmrec/core';
import { AlphaRec, LinearMapping, type AlphaRecOptions } from './alpharec.js';
import { alpharecOptions, linearMappingOptions, temOptions, unisrecOptions, zesrecOptions } from './options.js';
import { Tem } from './baselines/tem.js';
import { UniSRec } from './baselines/unisrec.js';
import { ZesRec } from './baselines/zesrec.js';
import { ALPHAREC_ORIGIN } from './origin.js';
import type { ItemEmbeddings } from './user-vectors.js';

/**
 * The frozen item vectors and the encoder that made them (for intentions and
 * new items), from the pipeline. Both optional at creation: a saved model
 * restores its vectors in `load`; `fit` without them is an error.
 */
function languageInputs(deps: PluginDeps): Pick<AlphaRecOptions, 'itemEmbeddings' | 'encoder'> {
  return {
    ...(deps.has(DEPS.ItemEmbeddings) ? { itemEmbeddings: deps.get<ItemEmbeddings>(DEPS.ItemEmbeddings) } : {}),
    ...(deps.has(DEPS.TextEncoder) ? { encoder: deps.get<TextEncoder>(DEPS.TextEncoder) } : {}),
  };
}

const LANGUAGE_INPUTS = [DEPS.ItemEmbeddings, DEPS.TextEncoder];

export const alpharecPlugin = definePlugin<Recommender, typeof alpharecOptions>({
  name: 'alpharec',
  description: 'AlphaRec: LM item vectors -> MLP -> LightGCN -> InfoNCE (Sheng et al., ICLR 2025)',
  options: alpharecOptions,
  optional: LANGUAGE_INPUTS,
  create: (o, deps) => new AlphaRec({ ...o, ...languageInputs(deps) }),
});

export const linearMappingPlugin = definePlugin<Recommender, typeof linearMappingOptions>({
  name: 'linear-mapping',
  description: "AlphaRec's linear mapping study: Linear(d, 64, bias=False), no graph",
  options: linearMappingOptions,
  optional: LANGUAGE_INPUTS,
  create: (o, deps) => new LinearMapping({ ...o, ...languageInputs(deps) }),
});

export const zesrecPlugin = definePlugin<Recommender, typeof zesrecOptions>({
  name: 'zesrec',
  description: 'ZESRec-style zero-shot baseline: items = text vectors, user = mean of history, cosine',
  options: zesrecOptions,
  optional: [DEPS.ItemEmbeddings],
  create: (_o, deps) => new ZesRec(languageInputs(deps)),
});

export const unisrecPlugin = definePlugin<Recommender, typeof unisrecOptions>({
  name: 'unisrec',
  description: 'UniSRec-style transferable adaptor: parametric whitening + mixture of experts over text vectors',
  options: unisrecOptions,
  optional: [DEPS.ItemEmbeddings],
  create: (o, deps) => new UniSRec({ ...o, ...languageInputs(deps) }),
});

export const temPlugin = definePlugin<Recommender, typeof temOptions>({
  name: 'tem',
  description: 'TEM-style intention baseline: transformer over the history + projected query embedding',
  options: temOptions,
  optional: LANGUAGE_INPUTS,
  create: (o, deps) => new Tem({ ...o, ...languageInputs(deps) }),
});

/** Binds "alpharec", "linear-mapping", "zesrec", "unisrec" and "tem" under TYPES.Recommender. */
export const alpharecModule = pluginModule(ALPHAREC_ORIGIN, 'Recommender', [alpharecPlugin, linearMappingPlugin, zesrecPlugin, unisrecPlugin, temPlugin]);

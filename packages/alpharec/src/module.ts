import { definePlugin, pluginModule, type Recommender } from '@lmrec/core';
import { AlphaRec, LinearMapping, type AlphaRecOptions } from './alpharec.js';

export const alpharecPlugin = definePlugin<Recommender, AlphaRecOptions>(
  'alpharec',
  (options) => new AlphaRec(options ?? {}),
  'AlphaRec: LM item vectors -> MLP -> LightGCN -> InfoNCE (Sheng et al., ICLR 2025)',
);

export const linearMappingPlugin = definePlugin<Recommender, AlphaRecOptions>(
  'linear-mapping',
  (options) => new LinearMapping(options ?? {}),
  "AlphaRec's linear mapping study: Linear(d, 64, bias=False), no graph",
);

/** Binds "alpharec" and "linear-mapping" under TYPES.Recommender. */
export const alpharecModule = pluginModule('Recommender', [alpharecPlugin, linearMappingPlugin]);

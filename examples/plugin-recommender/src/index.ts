import { definePlugin, pluginModule, type Recommender } from '@lmrec/core';
import { ItemKnn } from './item-knn.js';
import { itemKnnOptions } from './options.js';
import { ORIGIN } from './origin.js';

export { ItemKnn, type ItemKnnConfig } from './item-knn.js';
export { itemKnnOptions, type ItemKnnOptions } from './options.js';
export { ORIGIN } from './origin.js';

/** The plugin: name, options schema and factory; it needs nothing from the pipeline but the split it is fitted on. */
export const itemKnnPlugin = definePlugin<Recommender, typeof itemKnnOptions>({
  name: 'item-knn',
  description: 'item-based k-nearest neighbours over train co-occurrence (example plugin)',
  options: itemKnnOptions,
  create: (o) => new ItemKnn(o),
});

/** What lmrec loads from `plugins: [lmrec-plugin-itemknn]`. */
export const itemKnnModule = pluginModule(ORIGIN, 'Recommender', [itemKnnPlugin]);

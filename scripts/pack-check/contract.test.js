// Runs in the pack check's throw-away project, against the installed tarballs:
// a third party's test file, calling one contract per implementation.
import { DEPS } from '@lmrec/core';
import { aggregatorContract, pluginFactoryContract, recommenderContract } from '@lmrec/testing';
import { AttentionPool, attentionPoolModule, attentionPoolPlugin, ORIGIN as ATTENTION } from 'lmrec-plugin-attention-pool';
import { ItemKnn, itemKnnModule, itemKnnPlugin, ORIGIN as KNN } from 'lmrec-plugin-itemknn';

recommenderContract({ name: 'item-knn', create: () => new ItemKnn({ neighbours: 20 }), seeded: false });
aggregatorContract({ name: 'attention-pool', create: (inputDim, seed) => new AttentionPool({ inputDim, seed }) });
pluginFactoryContract({ point: 'Recommender', factory: itemKnnPlugin, module: itemKnnModule, origin: KNN });
pluginFactoryContract({ point: 'Aggregator', factory: attentionPoolPlugin, deps: [[DEPS.InputDim, 8]], module: attentionPoolModule, origin: ATTENTION });

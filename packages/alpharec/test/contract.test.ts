import { DEPS } from '@lmrec/core';
import { pluginFactoryContract, recommenderContract } from '@lmrec/testing';
import { ALPHAREC_ORIGIN, AlphaRec, alpharecModule, alpharecPlugin, LinearMapping, linearMappingPlugin } from '../src/index.js';
import { plantedDataset } from './helpers.js';

// Item vectors carry the users' taste clusters, so a model over them must beat popularity clearly.
const data = plantedDataset(1);
const itemEmbeddings = { dim: data.dim, data: data.items };
const small = { hidden: 32, negatives: 16, batchSize: 128, epochs: 30, evalEvery: 5, patience: 3, lr: 3e-3, tau: 0.2 };
const quickFit = { epochs: 1, evalEvery: 0 };
const training = { fit: { epochs: 4, evalEvery: 2, patience: 100 } };

// A history is scored as a new user: its own edges count in the item degrees (deg + 1), so with
// graph layers it differs slightly from the trained user (userVectorForHistory's inGraph option).
recommenderContract({ name: 'alpharec', create: () => new AlphaRec({ itemEmbeddings, ...small }), data: data.split, quickFit, training, historiesMatchUsers: false });
recommenderContract({ name: 'linear-mapping', create: () => new LinearMapping({ itemEmbeddings, ...small }), data: data.split, quickFit, training });

const deps = [[DEPS.ItemEmbeddings, itemEmbeddings]] as const;
pluginFactoryContract({ point: 'Recommender', factory: alpharecPlugin, options: { hidden: 16 }, deps, module: alpharecModule, origin: ALPHAREC_ORIGIN });
pluginFactoryContract({ point: 'Recommender', factory: linearMappingPlugin, options: { outDim: 8 }, deps, module: alpharecModule, origin: ALPHAREC_ORIGIN });

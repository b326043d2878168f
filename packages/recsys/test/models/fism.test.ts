import { gatingRecommenderContract, recommenderContract } from '@lmrec/testing';
import { Fism, FismNet, type RecsysFitOptions } from '../../src/index.js';

const fit: RecsysFitOptions = { epochs: 40, batchSize: 128, lr: 1e-2, evalEvery: 5, metric: 'recall@10' };
recommenderContract({ name: 'fism', create: () => new Fism(), fit, quickFit: { ...fit, epochs: 1, evalEvery: 0 }, training: { fit: { ...fit, epochs: 4, evalEvery: 2, patience: 100 } } });
gatingRecommenderContract({ name: 'fism (gating net)', create: (nItems, seed) => new FismNet({ nItems, seed, dim: 16 }) });
gatingRecommenderContract({ name: 'fism (gating net, official PAD row)', create: (nItems, seed) => new FismNet({ nItems, seed, dim: 16, padRow: true }) });

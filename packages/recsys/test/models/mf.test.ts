import { recommenderContract } from '@lmrec/testing';
import { MfBpr, type RecsysFitOptions } from '../../src/index.js';

const fit: RecsysFitOptions = { epochs: 40, batchSize: 256, lr: 1e-2, evalEvery: 5, metric: 'recall@10' };
recommenderContract({ name: 'mf', create: () => new MfBpr(), fit, quickFit: { ...fit, epochs: 1, evalEvery: 0 }, training: { fit: { ...fit, epochs: 4, evalEvery: 2, patience: 100 } } });

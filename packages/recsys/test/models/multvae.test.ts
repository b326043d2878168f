import { MultVae, type RecsysFitOptions } from '../../src/index.js';
import { recommenderContract } from '@lmrec/testing';

const fit: RecsysFitOptions = { epochs: 60, batchSize: 32, lr: 3e-3, evalEvery: 5, metric: 'recall@10' };
const create = () => new MultVae({ dims: [64, 16], totalAnnealSteps: 200 });
recommenderContract({ name: 'multvae', create, fit, quickFit: { ...fit, epochs: 1, evalEvery: 0 }, training: { fit: { ...fit, epochs: 4, evalEvery: 2, patience: 100 } } });

import { SasRec } from '../../src/index.js';
import { recommenderContract } from '../contract/recommender.contract.js';

recommenderContract({ name: 'sasrec', create: () => new SasRec({ dim: 32, maxLen: 12 }), fit: { epochs: 30, batchSize: 32, lr: 5e-3, evalEvery: 5 }, trainable: true });

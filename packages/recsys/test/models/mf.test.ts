import { MfBpr } from '../../src/index.js';
import { recommenderContract } from '../contract/recommender.contract.js';

recommenderContract({ name: 'mf', create: () => new MfBpr(), fit: { epochs: 40, batchSize: 256, lr: 1e-2, evalEvery: 5 }, trainable: true });

import { Fism } from '../../src/index.js';
import { recommenderContract } from '../contract/recommender.contract.js';

recommenderContract({ name: 'fism', create: () => new Fism(), fit: { epochs: 40, batchSize: 128, lr: 1e-2, evalEvery: 5 }, trainable: true });

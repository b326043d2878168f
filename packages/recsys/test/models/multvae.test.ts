import { MultVae } from '../../src/index.js';
import { recommenderContract } from '../contract/recommender.contract.js';

recommenderContract({ name: 'multvae', create: () => new MultVae({ dims: [64, 16], totalAnnealSteps: 200 }), fit: { epochs: 60, batchSize: 32, lr: 3e-3, evalEvery: 5 }, trainable: true });

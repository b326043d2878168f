import { Popularity } from '../../src/index.js';
import { recommenderContract } from '../contract/recommender.contract.js';

recommenderContract({ name: 'popularity', create: () => new Popularity(), fit: {}, trainable: false });

import { Popularity } from '../../src/index.js';
import { recommenderContract } from '@lmrec/testing';

// Popularity is the contract's own baseline: no seed, nothing to beat.
recommenderContract({ name: 'popularity', create: () => new Popularity(), seeded: false, beatsPopularity: false });

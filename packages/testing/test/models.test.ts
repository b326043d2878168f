import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@lmrec/core';
import { aggregatorSuite, gatingRecommenderSuite, plantedSplit, recommenderSuite, runCheck, type Suite } from '../src/index.js';
import { BagNet, CoocRecommender, MeanLinear, type AggregatorBugs, type GatingBugs, type RecommenderBugs } from './reference-models.js';

// Each suite passes the correct reference implementation, and each planted
// bug fails the check that is about it: the contracts can fail.

beforeAll(async () => {
  await initBackend();
});

async function runAll(suite: Suite): Promise<void> {
  await suite.setup?.();
  try {
    for (const check of suite.checks) await runCheck(suite, check.title);
  } finally {
    await suite.teardown?.();
  }
}

async function fails(suite: Suite, check: string): Promise<void> {
  await suite.setup?.();
  try {
    await expect(runCheck(suite, check)).rejects.toThrow();
  } finally {
    await suite.teardown?.();
  }
}

describe('Aggregator contract', () => {
  const suite = (bugs?: AggregatorBugs) => aggregatorSuite({ name: 'mean-linear', create: (d, seed) => new MeanLinear(d, seed, bugs) });
  it('passes a correct aggregator', () => runAll(suite()));
  it('fails one that averages over padding', () => fails(suite({ ignoreMask: true }), 'padding never changes'));
  it('fails one whose rows depend on the batch', () => fails(suite({ batchScale: true }), 'padding never changes'));
  it('fails one that ignores its seed', () => fails(suite({ ignoreSeed: true }), 'deterministic for a seed'));
  it('fails one that leaks a tensor per call', () => fails(suite({ leak: true }), 'leaks no tensors'));
});

describe('GatingRecommender contract', () => {
  const suite = (bugs?: GatingBugs) => gatingRecommenderSuite({ name: 'bag', create: (n, seed) => new BagNet(n, seed, bugs) });
  it('passes a correct gating net', () => runAll(suite()));
  it('fails one whose logits depend on the other histories', () => fails(suite({ batchCentre: true }), 'do not depend on the other histories'));
  it('fails one that ignores its seed', () => fails(suite({ ignoreSeed: true }), 'deterministic for a seed'));
  it('fails one that clamps out-of-range item ids', () => fails(suite({ clampIds: true }), 'outside [0, nItems)'));
});

describe('Recommender contract', () => {
  const split = plantedSplit();
  const suite = (bugs?: RecommenderBugs) => recommenderSuite({ name: 'cooc', create: () => new CoocRecommender(bugs), data: split });
  it('passes a correct recommender', () => runAll(suite()));
  it('fails one whose load does not restore every score', () => fails(suite({ forgetJitter: true }), 'save/load'));
  it('fails one that ignores the seed', () => fails(suite({ ignoreSeed: true }), 'another seed does not'));
  it('fails one that scores the block wrongly', () => fails(suite({ firstUserOnly: true }), 'block it is scored in'));
  it('fails one that answers before fit', () => fails(suite({ silentBeforeFit: true }), 'before fit or load'));
  it('fails one that does not beat popularity by the asked margin', () => fails(recommenderSuite({ name: 'cooc', create: () => new CoocRecommender(), data: split, beatsPopularity: 0.9 }), 'beats item popularity'));
});

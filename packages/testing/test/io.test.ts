import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePlugin, DEPS, type DialogueTurn } from '@lmrec/core';
import { backboneSuite, datasetLoaderSuite, metricSuite, pluginFactorySuite, runCheck, tensorBackendSuite, textEncoderSuite, type Suite } from '../src/index.js';
import { HashBackbone, RefRecall, TinyLoader, TrigramEncoder, type EncoderBugs, type LoaderBugs } from './reference-io.js';

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

describe('TextEncoder contract', () => {
  const suite = (bugs?: EncoderBugs) => textEncoderSuite({ name: 'trigram', create: () => new TrigramEncoder(bugs), normalized: true, tolerance: 1e-6 });
  it('passes a correct encoder', () => runAll(suite()));
  it('fails one that hands out its cached rows', () => fails(suite({ sharedRows: true }), "rows are the caller's"));
  it('fails one whose rows depend on the batch size', () => fails(suite({ batchDependent: true }), 'batch size'));
  it('fails one that ignores the abort signal', () => fails(suite({ ignoreAbort: true }), 'aborted'));
});

describe('Backbone contract', () => {
  const contexts: DialogueTurn[][] = [[{ role: 'seeker', text: 'a heist film please', items: [] }], [{ role: 'seeker', text: 'something like Alien', items: [0] }]];
  const suite = (batchDependent: boolean) => backboneSuite({ name: 'hash', create: () => new HashBackbone({ batchDependent }), contexts, titles: ['Heat (1995)', 'Alien (1979)'] });
  it('passes a correct backbone', () => runAll(suite(false)));
  it('fails one whose context vectors depend on the batch', () => fails(suite(true), 'batch-independent'));
});

describe('Metric contract', () => {
  const expected = { none: 0, all: 1, first: 1 / 2, last: 1 / 2, manyTargets: 1 / 2, mixed: 2 / 3, single: 1 };
  it('passes a correct metric', () => runAll(metricSuite({ name: 'recall', create: () => new RefRecall(), expected })));
  it('fails one that reads past K', () => fails(metricSuite({ name: 'recall', create: () => new RefRecall(true), expected }), 'first k positions'));
  it('fails a metric whose hand values are not met', () => fails(metricSuite({ name: 'recall', create: () => new RefRecall(), expected: { ...expected, last: 1 / 5 } }), 'hand-computed'));
});

describe('DatasetLoader contract', () => {
  const suite = (bugs?: LoaderBugs) => datasetLoaderSuite({ name: 'tiny', create: () => new TinyLoader(bugs), expected: { users: 3, items: 3, interactions: 5 } });
  it('passes a correct loader', () => runAll(suite()));
  it('fails unsorted CSR rows', () => fails(suite({ unsorted: true }), 'consistent dataset'));
  it('fails an item id outside the catalogue', () => fails(suite({ outOfRange: true }), 'consistent dataset'));
  it('fails data that changes between loads', () => fails(suite({ unstable: true }), 'same data'));
  it('fails hand counts that do not match', () => fails(datasetLoaderSuite({ name: 'tiny', create: () => new TinyLoader(), expected: { interactions: 6 } }), 'expected sizes'));
  const raw = { name: 'tiny', load: async () => { throw new Error('ENOENT: raw error'); } };
  it('fails a loader whose bad input gives a raw Error', () => fails(datasetLoaderSuite({ name: 'tiny', create: () => new TinyLoader(), broken: [{ title: 'missing file', create: () => raw }] }), 'missing file'));
});

describe('TensorBackend contract', () => {
  const cpu = { name: 'plain-cpu', backend: 'cpu', register: async () => undefined };
  it('passes a working candidate', () => runAll(tensorBackendSuite({ name: 'plain-cpu', create: () => cpu })));
  const broken = { name: 'broken', backend: 'cpu', register: async () => { throw new Error('libfoo.so: not found'); } };
  it('fails a candidate that cannot register', () => fails(tensorBackendSuite({ name: 'broken', create: () => broken }), 'registers'));
});

describe('plugin factory contract', () => {
  class Scaled {
    constructor(readonly dim: number, readonly scale: number) {}
  }
  const good = definePlugin({
    name: 'scaled',
    description: 'a test plugin',
    options: z.strictObject({ scale: z.number().default(1).describe('multiplier') }),
    requires: [DEPS.InputDim],
    create: (o, deps) => new Scaled(deps.get<number>(DEPS.InputDim), o.scale),
  });
  const deps = [[DEPS.InputDim, 4]] as const;
  const suite = (factory: typeof good) => pluginFactorySuite({ point: 'Aggregator', factory, deps, check: (s) => expect(s).toBeInstanceOf(Scaled) });
  it('passes a correct factory', () => runAll(suite(good)));
  it('fails a schema that accepts unknown keys', () => fails(suite({ ...good, options: z.object({ scale: z.number().default(1).describe('multiplier') }) as never }), 'unknown option'));
  it('fails an undocumented option', () => fails(suite({ ...good, options: z.strictObject({ scale: z.number().default(1) }) as never }), 'documented option'));
  it('fails a factory that reads a dependency it does not declare', () => fails(suite({ ...good, requires: [] }), 'creates an instance'));
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, Rng, type Module } from '@lmrec/core';
import { FismNet, SasRecNet } from '@lmrec/recsys';
import { createAggregator, ReindexModel } from '@lmrec/reindex';
import { ADAPTER_KINDS, BiasAdaptedModel, createAdapter, FixedItemIndex, GatedModel, RecommenderModel, RecSysGate, TrainableItemIndex, trainAdapt, type AdaptExamples, type AdaptModel, type AdaptTrainOptions } from '../src/index.js';
import { TinyFism } from './helpers.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'adapt-resume-'));
  dirs.push(d);
  return d;
};
beforeAll(async () => {
  await initBackend();
});
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const D = 8;
const N = 20;

function examples(n: number, seed: number): AdaptExamples {
  const rng = new Rng(seed);
  const targets = Int32Array.from({ length: n }, () => rng.int(N));
  return {
    targets,
    histories: Array.from(targets, (t) => Int32Array.of((t + 1) % N, (t + 3) % N)),
    queries: Float32Array.from({ length: n * D }, () => rng.normal()),
    dim: D,
  };
}

function catalogue(aggregator: string): ReindexModel {
  const rng = new Rng(11);
  const vocab = 30;
  const titleTokenIds = Array.from({ length: N }, () => Array.from({ length: 1 + rng.int(3) }, () => rng.int(vocab)));
  return new ReindexModel({
    aggregator: createAggregator(aggregator, { dim: D, seed: 4, heads: 2, ffnDim: 8, linearInit: 'identity' }),
    titleTokenIds,
    tokenIds: Array.from({ length: vocab }, (_, i) => i),
    tokenTable: Float32Array.from({ length: vocab * D }, () => rng.normal()),
    dim: D,
  });
}

/** A fresh model of one kind, and what to free afterwards. */
type Make = () => { model: AdaptModel; parts: { dispose(): void }[] };
const fixed = () => FixedItemIndex.freeze(catalogue('weighted'));

const kinds: [string, Make][] = [
  ...ADAPTER_KINDS.map((kind): [string, Make] => [`+Bias ${kind} (frozen agg.)`, () => {
    const index = fixed();
    const adapter = createAdapter(kind, N);
    return { model: new BiasAdaptedModel(index, adapter), parts: [adapter, index] };
  }]),
  ['+Bias b, trainable trm aggregator (dropout stream)', () => {
    const source = catalogue('trm');
    const index = new TrainableItemIndex(source);
    const adapter = createAdapter('b', N);
    return { model: new BiasAdaptedModel(index, adapter), parts: [adapter, index, source.aggregator, source] };
  }],
  ...([
    ['FISM', () => new FismNet({ nItems: N, dim: 8, seed: 3 })],
    ['SASRec (dropout stream)', () => new SasRecNet({ nItems: N, dim: 8, heads: 2, layers: 1, maxLen: 4, seed: 3 })],
    ['third-party', () => new TinyFism(N, 6, 3)],
  ] as [string, () => Module & ConstructorParameters<typeof RecSysGate>[0]][]).flatMap(([name, net]): [string, Make][] => [
    [`${name} alone`, () => {
      const r = net();
      return { model: new RecommenderModel(r), parts: [r] };
    }],
    [`+RecSys ${name} gate`, () => {
      const index = fixed();
      const gate = new RecSysGate(net());
      return { model: new GatedModel(index, gate), parts: [gate, index] };
    }],
  ]),
];

const weights = (m: AdaptModel) => Object.fromEntries(Object.entries(m.state()).map(([k, t]) => [k, Array.from(t.dataSync())]));

describe('trainAdapt: interrupted after a checkpoint and resumed equals an uninterrupted fit', () => {
  const train = examples(90, 1);
  const valid = examples(30, 2);
  const options: AdaptTrainOptions = { epochs: 4, batchSize: 32, negatives: 10, learningRate: 0.05, patience: 10, seed: 5 };

  for (const [name, make] of kinds) {
    it(`${name}: weights, epoch log, best epoch`, async () => {
      const full = make();
      const a = await trainAdapt(full.model, train, valid, options);
      const dir = tmp();
      const stop = new AbortController();
      const first = make();
      await trainAdapt(first.model, train, valid, { ...options, checkpointDir: dir, signal: stop.signal, onEpoch: (l) => void (l.epoch === 2 && stop.abort()) });
      const second = make();
      const b = await trainAdapt(second.model, train, valid, { ...options, checkpointDir: dir });
      expect(weights(second.model)).toEqual(weights(full.model));
      const strip = (r: typeof a) => r.log.map((l) => [l.epoch, l.loss, l.valid, l.extra]);
      expect(strip(b)).toEqual(strip(a));
      expect([b.bestEpoch, b.bestValid, b.extra]).toEqual([a.bestEpoch, a.bestValid, a.extra]);
      for (const m of [full, first, second]) for (const p of m.parts) p.dispose();
    });
  }
});

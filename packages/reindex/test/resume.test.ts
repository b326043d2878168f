import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@lmrec/core';
import { createAggregator, dataLabelPairs, ReindexModel, trainReindex, type EpochLog, type TrainReindexOptions } from '../src/index.js';
import { tinyReindexData } from './helpers.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'reindex-resume-'));
  dirs.push(d);
  return d;
};
beforeAll(async () => {
  await initBackend();
});
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const strip = (log: EpochLog[]) => log.map(({ ms, ...rest }) => (void ms, rest));

function build(name: string, data: ReturnType<typeof tinyReindexData>) {
  const aggregator = createAggregator(name, { dim: data.d, seed: 2, hidden: 8, heads: 2, ffnDim: 16, linearInit: 'identity' });
  return new ReindexModel({ aggregator, titleTokenIds: data.titleTokenIds, tokenIds: Array.from({ length: data.vocab }, (_, i) => i), tokenTable: data.table, dim: data.d });
}

const weights = (m: ReindexModel) => Object.fromEntries(Object.entries(m.aggregator.state()).map(([k, t]) => [k, Array.from(t.dataSync())]));

describe('trainReindex: interrupted after a checkpoint and resumed equals an uninterrupted run', () => {
  const data = tinyReindexData(5);
  const pairs = dataLabelPairs(data.train.q, data.train.examples);
  const valid = { queries: data.valid.q, examples: data.valid.examples };
  const options: TrainReindexOptions = { lr: 0.02, batchSize: 16, negatives: 8, maxEpochs: 4, patience: 10, seed: 3 };

  // trm draws dropout from its own stream: the checkpoint must carry that stream too
  for (const name of ['weighted', 'rnn', 'trm']) {
    it(`${name} aggregator: weights and epoch log`, async () => {
      const full = build(name, data);
      const a = await trainReindex(full, pairs, valid, options);
      const dir = tmp();
      const stop = new AbortController();
      const first = build(name, data);
      await trainReindex(first, pairs, valid, { ...options, checkpointDir: dir, signal: stop.signal, onEpoch: (l) => void (l.epoch === 2 && stop.abort()) });
      const second = build(name, data);
      const b = await trainReindex(second, pairs, valid, { ...options, checkpointDir: dir });
      expect(weights(second)).toEqual(weights(full));
      expect(strip(b.epochs)).toEqual(strip(a.epochs));
      expect(b.bestEpoch).toBe(a.bestEpoch);
      expect(b.bestValid).toBe(a.bestValid);
      expect(b.initialValid).toBe(a.initialValid);
      expect(a.epochs.length).toBe(4);
      for (const m of [full, first, second]) {
        m.aggregator.dispose();
        m.dispose();
      }
    });
  }

  it('evalEvery 2 validates epochs 2, 4 only (the reference cadence)', async () => {
    const m = build('weighted', data);
    const r = await trainReindex(m, pairs, valid, { ...options, evalEvery: 2 });
    expect(r.epochs.map((e) => e.valid !== undefined)).toEqual([false, true, false, true]);
    m.aggregator.dispose();
    m.dispose();
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf, type CfSplit, type Recommender } from '@lmrec/core';
import { Popularity, type EpochRecord, type RecsysFitOptions, type TrainResult } from '../../src/index.js';
import { bruteRecall, plantedSplit } from '../helpers.js';

type Model = Recommender & { state?(): Record<string, tf.Tensor>; dispose?(): void; fit(data: CfSplit, options?: RecsysFitOptions): Promise<unknown> };

export interface ContractCase {
  name: string;
  create: () => Model;
  /** Options for the quality fit (epochs, lr, ...). */
  fit: RecsysFitOptions;
  /** Trained through the Trainer (weights, determinism, memory and resume checks apply). */
  trainable: boolean;
  /** Absolute margin over Popularity's valid Recall@10. Default 0.1. */
  margin?: number;
}

const weights = (m: Model) => Object.fromEntries(Object.entries(m.state!()).map(([k, t]) => [k, Array.from(t.dataSync())]));
const allUsers = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

/**
 * The contract every Recommender meets, on a planted-cluster dataset where
 * collaborative signal is strong and Popularity is a weak but real baseline.
 */
export function recommenderContract(c: ContractCase): void {
  describe(`Recommender contract: ${c.name}`, () => {
    const split = plantedSplit();
    const dirs: string[] = [];
    const tmp = () => {
      const d = mkdtempSync(join(tmpdir(), `recsys-${c.name}-`));
      dirs.push(d);
      return d;
    };
    let model: Model;
    let popRecall = 0;

    beforeAll(async () => {
      await initBackend();
      const pop = new Popularity();
      await pop.fit(split);
      popRecall = await bruteRecall(pop, split, 10);
      model = c.create();
      await model.fit(split, { ...c.fit, metric: 'recall@10' });
    });
    afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

    it(`beats Popularity on valid Recall@10 by a clear margin`, async () => {
      const recall = await bruteRecall(model, split, 10);
      console.log(`${c.name}: valid recall@10 ${recall.toFixed(4)} vs popularity ${popRecall.toFixed(4)}`);
      if (c.name !== 'popularity') expect(recall).toBeGreaterThan(popRecall + (c.margin ?? 0.1));
    });

    it('save/load reproduces identical scores', async () => {
      const dir = tmp();
      await model.save(dir);
      const loaded = c.create();
      await loaded.load(dir);
      const users = allUsers(split.nUsers);
      expect(await loaded.scoreBlock(users)).toEqual(await model.scoreBlock(users));
      expect(loaded.factors?.()).toEqual(model.factors?.());
      if (model.scoreHistories) {
        const histories = [Int32Array.of(1, 5, 9), Int32Array.of(), split.train.row(3)];
        expect(await loaded.scoreHistories!(histories)).toEqual(await model.scoreHistories(histories));
      }
      loaded.dispose?.();
    });

    it('scores from factors() equal scoreBlock', async () => {
      const f = model.factors?.();
      if (!f) return;
      const users = Int32Array.of(0, 7, 33);
      const scores = await model.scoreBlock(users);
      users.forEach((u, r) => {
        for (let j = 0; j < split.nItems; j += 7) {
          let dot = 0;
          for (let c2 = 0; c2 < f.dim; c2++) dot += f.users[u * f.dim + c2] * f.itemsT[c2 * split.nItems + j];
          expect(scores[r * split.nItems + j]).toBeCloseTo(dot, 3);
        }
      });
    });

    if (!c.trainable) return;
    const short: RecsysFitOptions = { ...c.fit, epochs: 4, evalEvery: 2, patience: 100 };

    it('same seed gives identical weights; another seed does not', async () => {
      const a = c.create();
      const b = c.create();
      const d = c.create();
      await a.fit(split, { ...short, epochs: 1, evalEvery: 0, seed: 5 });
      await b.fit(split, { ...short, epochs: 1, evalEvery: 0, seed: 5 });
      await d.fit(split, { ...short, epochs: 1, evalEvery: 0, seed: 6 });
      expect(weights(a)).toEqual(weights(b));
      expect(weights(a)).not.toEqual(weights(d));
      [a, b, d].forEach((m) => m.dispose?.());
    });

    it('a training epoch does not grow tf.memory().numTensors', async () => {
      const counts: number[] = [];
      const m = c.create();
      await m.fit(split, { ...short, epochs: 3, evalEvery: 1, onEpochEnd: () => void counts.push(tf.memory().numTensors) });
      expect(counts.length).toBe(3);
      expect(new Set(counts).size).toBe(1);
      m.dispose?.();
    });

    it('resume after an interrupted run equals an uninterrupted run', async () => {
      const full = c.create();
      const a = (await full.fit(split, short)) as TrainResult;
      const ckpt = tmp();
      const first = c.create();
      const r1 = (await first.fit(split, { ...short, checkpointDir: ckpt, onEpochEnd: (r: EpochRecord) => r.epoch < 2 })) as TrainResult;
      expect(r1.interrupted).toBe(true);
      first.dispose?.();
      const second = c.create();
      const b = (await second.fit(split, { ...short, checkpointDir: ckpt })) as TrainResult;
      expect(weights(second)).toEqual(weights(full));
      expect(b.log.map((r) => [r.loss, r.valid])).toEqual(a.log.map((r) => [r.loss, r.valid]));
      const users = allUsers(split.nUsers);
      expect(await second.scoreBlock(users)).toEqual(await full.scoreBlock(users));
      [full, second].forEach((m) => m.dispose?.());
    });
  });
}

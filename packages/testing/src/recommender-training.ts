import { expect } from 'vitest';
import { tf, type CfSplit, type FitOptions } from '@lmrec/core';
import type { Check } from './suite.js';
import type { RecommenderCase, RecommenderUnderTest } from './recommender.js';

/**
 * For models fitted by an epoch loop that follows the @lmrec/recsys Trainer
 * protocol: fit options `checkpointDir` (resume from it) and `onEpochEnd`
 * (return false to stop), a result with `interrupted` and a per-epoch `log`.
 */
export interface TrainingCase {
  /** Fit options for the resume checks: at least 4 epochs, evaluating every 2, say. */
  fit: FitOptions;
}

interface EpochLike {
  loss: number;
  valid?: Record<string, number>;
}
interface TrainResultLike {
  interrupted: boolean;
  log: EpochLike[];
}

const allUsers = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

export function trainingChecks(c: RecommenderCase, split: CfSplit, create: () => RecommenderUnderTest, tmp: () => string): Check[] {
  const fit = c.training!.fit;
  return [
    {
      title: 'a training epoch does not grow tf.memory().numTensors',
      run: async () => {
        const counts: number[] = [];
        const m = create();
        await m.fit(split, { ...fit, epochs: 3, onEpochEnd: () => void counts.push(tf.memory().numTensors) });
        expect(counts.length, 'onEpochEnd was not called once per epoch').toBe(3);
        expect(new Set(counts).size, `tensors after each epoch: ${counts.join(', ')}`).toBe(1);
        m.dispose?.();
      },
    },
    {
      title: 'a run stopped after 2 epochs and resumed from its checkpoint equals an uninterrupted run',
      run: async () => {
        const full = create();
        const a = (await full.fit(split, fit)) as TrainResultLike;
        expect(a.log.length, 'the training fit must run at least 4 epochs').toBeGreaterThanOrEqual(4);
        const ckpt = tmp();
        const first = create();
        let calls = 0;
        const r1 = (await first.fit(split, { ...fit, checkpointDir: ckpt, onEpochEnd: () => ++calls < 2 })) as TrainResultLike;
        expect(r1.interrupted, 'onEpochEnd returning false must stop the run').toBe(true);
        expect(r1.log.length).toBe(2);
        first.dispose?.();
        const second = create();
        const b = (await second.fit(split, { ...fit, checkpointDir: ckpt })) as TrainResultLike;
        expect(b.log.map((r) => [r.loss, r.valid])).toEqual(a.log.map((r) => [r.loss, r.valid]));
        const users = allUsers(split.nUsers);
        expect(Array.from(await second.scoreBlock(users))).toEqual(Array.from(await full.scoreBlock(users)));
        full.dispose?.();
        second.dispose?.();
      },
    },
  ];
}

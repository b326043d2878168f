import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { initBackend, type CfSplit, type FitOptions, type Recommender } from '@lmrec/core';
import { allFinite, caught, expectLmrecError, maxAbsDiff } from './numbers.js';
import { bruteRecall, plantedSplit, popularityScorer } from './planted.js';
import { trainingChecks, type TrainingCase } from './recommender-training.js';
import { lazy, registerSuite, type Check, type Suite } from './suite.js';

export type RecommenderUnderTest = Recommender & { dispose?(): void };

export interface RecommenderCase {
  name: string;
  /** A fresh, unfitted instance (called several times). */
  create(): RecommenderUnderTest;
  /** The split to fit; default `plantedSplit()` (120 users, 80 items, 4 taste clusters). */
  data?: CfSplit;
  /** Options of the main fit, on which scores, save/load and quality are checked. */
  fit?: FitOptions;
  /** Options of the extra fits of the seed checks (they fit three times: keep them short). Default `fit`. */
  quickFit?: FitOptions;
  /** The seed changes the fitted model (random init or sampling). Default true; false for e.g. Popularity. */
  seeded?: boolean;
  /** Valid Recall@10 must beat item popularity (computed here) by this margin; false skips. Default 0.1. */
  beatsPopularity?: number | false;
  /** `scoreHistories([train row of u])` equals `scoreBlock([u])`. Default: checked when scoreHistories exists. */
  historiesMatchUsers?: boolean;
  /** Allowed |difference| relative to the largest |score|, between block sizes and against factors(). Default 1e-4. */
  tolerance?: number;
  /** Checks of models trained by an epoch loop with checkpoints (the @lmrec/recsys Trainer protocol). */
  training?: TrainingCase;
}

const allUsers = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

/**
 * The contract of a Recommender, on public behaviour only: deterministic for
 * a seed, finite scores of the right shape that do not depend on the block a
 * user is scored in, `save`/`load` reproducing the scores exactly,
 * `factors()` agreeing with `scoreBlock`, clear errors before fit, and (by
 * default) a clear win over item popularity on planted taste clusters.
 */
export function recommenderSuite(c: RecommenderCase): Suite {
  const split = c.data ?? plantedSplit();
  const tol = c.tolerance ?? 1e-4;
  const dirs: string[] = [];
  const made: RecommenderUnderTest[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), `lmrec-contract-${c.name.replace(/[^\w-]/g, '_')}-`));
    dirs.push(d);
    return d;
  };
  const create = () => {
    const m = c.create();
    made.push(m);
    return m;
  };
  const fitted = lazy(async () => {
    const m = create();
    await m.fit(split, c.fit ?? {});
    return { model: m, scores: await m.scoreBlock(allUsers(split.nUsers)) };
  });
  const scale = async () => {
    const { scores } = await fitted();
    let m = 0;
    for (const v of scores) m = Math.max(m, Math.abs(v));
    return Math.max(m, 1e-6);
  };
  const seededScores = async (seed: number) => {
    const m = create();
    await m.fit(split, { ...(c.quickFit ?? c.fit ?? {}), seed });
    const s = await m.scoreBlock(allUsers(split.nUsers));
    m.dispose?.();
    return Array.from(s);
  };

  const checks: Check[] = [
    {
      title: 'scores every item for every user: [users, nItems], finite',
      run: async () => {
        const { model, scores } = await fitted();
        expect(typeof model.name === 'string' && model.name.length > 0, 'name').toBe(true);
        expect(model.nItems).toBe(split.nItems);
        expect(scores.length).toBe(split.nUsers * split.nItems);
        expect(allFinite(scores), 'non-finite scores').toBe(true);
        expect((await model.scoreBlock(new Int32Array(0))).length).toBe(0);
      },
    },
    {
      title: "a user's scores do not depend on the block it is scored in",
      run: async () => {
        const { model, scores } = await fitted();
        const bound = tol * (await scale());
        const block = Int32Array.of(9, 0, split.nUsers - 1, 4, 9);
        const got = await model.scoreBlock(block);
        block.forEach((u, r) => expect(maxAbsDiff(got.subarray(r * split.nItems, (r + 1) * split.nItems), scores.subarray(u * split.nItems, (u + 1) * split.nItems))).toBeLessThanOrEqual(bound));
        for (const u of [3, split.nUsers - 2]) {
          const alone = await model.scoreBlock(Int32Array.of(u));
          expect(maxAbsDiff(alone, scores.subarray(u * split.nItems, (u + 1) * split.nItems))).toBeLessThanOrEqual(bound);
        }
      },
    },
    {
      title: c.seeded === false ? 'fits the same model from two instances' : 'the same seed fits the same model from two instances; another seed does not',
      run: async () => {
        const a = await seededScores(5);
        expect(await seededScores(5), 'same seed, different scores').toEqual(a);
        if (c.seeded !== false) expect(await seededScores(6), 'seed 6 fitted the same scores as seed 5: is the seed used?').not.toEqual(a);
      },
    },
    {
      title: 'save/load reproduces the scores exactly (scoreBlock, factors, scoreHistories)',
      run: async () => {
        const { model, scores } = await fitted();
        const dir = tmp();
        await model.save(dir);
        const loaded = create();
        await loaded.load(dir);
        expect(loaded.nItems).toBe(split.nItems);
        expect(Array.from(await loaded.scoreBlock(allUsers(split.nUsers)))).toEqual(Array.from(scores));
        const f = model.factors?.();
        const g = loaded.factors?.();
        expect(g === undefined, 'factors() present before save but not after load, or the other way').toBe(f === undefined);
        if (f && g) expect({ dim: g.dim, users: Array.from(g.users), itemsT: Array.from(g.itemsT) }).toEqual({ dim: f.dim, users: Array.from(f.users), itemsT: Array.from(f.itemsT) });
        expect(typeof loaded.scoreHistories).toBe(typeof model.scoreHistories);
        if (model.scoreHistories) {
          const histories = [Int32Array.of(1, 5, 9), split.train.row(3), Int32Array.of(split.nItems - 1)];
          expect(Array.from(await loaded.scoreHistories!(histories))).toEqual(Array.from(await model.scoreHistories(histories)));
        }
      },
    },
    {
      title: 'load from a folder without a saved model fails with an LmrecError',
      run: async () => expectLmrecError(await caught(() => create().load(tmp()))),
    },
    {
      title: 'scoring before fit or load fails with an LmrecError (no silent scores)',
      run: async () => expectLmrecError(await caught(() => create().scoreBlock(Int32Array.of(0)))),
    },
    {
      title: 'factors() (when present) give the same scores as scoreBlock',
      run: async (ctx) => {
        const { model, scores } = await fitted();
        const f = model.factors?.();
        if (!f) return ctx.skip('the model has no factors()');
        expect(f.users.length).toBe(split.nUsers * f.dim);
        expect(f.itemsT.length).toBe(f.dim * split.nItems);
        const bound = tol * (await scale());
        for (const u of [0, 7, split.nUsers - 1]) {
          const dots = new Float64Array(split.nItems);
          for (let j = 0; j < split.nItems; j++) for (let d = 0; d < f.dim; d++) dots[j] += f.users[u * f.dim + d] * f.itemsT[d * split.nItems + j];
          expect(maxAbsDiff(scores.subarray(u * split.nItems, (u + 1) * split.nItems), dots)).toBeLessThanOrEqual(bound);
        }
      },
    },
  ];
  if (c.historiesMatchUsers !== false) {
    checks.push({
      title: "scoreHistories (when present) of a user's train items equals the user's scoreBlock row",
      run: async (ctx) => {
        const { model, scores } = await fitted();
        if (!model.scoreHistories) return ctx.skip('the model has no scoreHistories()');
        const users = [0, 5, split.nUsers - 1];
        const got = await model.scoreHistories(users.map((u) => split.train.row(u)));
        const bound = tol * (await scale());
        users.forEach((u, r) => expect(maxAbsDiff(got.subarray(r * split.nItems, (r + 1) * split.nItems), scores.subarray(u * split.nItems, (u + 1) * split.nItems))).toBeLessThanOrEqual(bound));
      },
    });
  }
  if (c.beatsPopularity !== false) {
    const margin = c.beatsPopularity ?? 0.1;
    checks.push({
      title: `beats item popularity on valid Recall@10 by ${margin}`,
      run: async () => {
        const { model } = await fitted();
        const recall = await bruteRecall(model, split, 10);
        const baseline = await bruteRecall(popularityScorer(split), split, 10);
        expect(recall, `valid recall@10 ${recall.toFixed(4)} vs popularity ${baseline.toFixed(4)}`).toBeGreaterThan(baseline + margin);
      },
    });
  }
  if (c.training) checks.push(...trainingChecks(c, split, create, tmp));
  return {
    title: `Recommender contract: ${c.name}`,
    checks,
    setup: () => initBackend(),
    teardown: () => {
      made.forEach((m) => m.dispose?.());
      dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
    },
  };
}

/** Registers the Recommender contract for one implementation. */
export function recommenderContract(c: RecommenderCase): void {
  registerSuite(recommenderSuite(c));
}

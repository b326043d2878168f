import { expect } from 'vitest';
import type { CrsCatalogue, CrsModel, DialogueTurn } from '@lmrec/core';
import { allFinite, caught, expectLmrecError, maxAbsDiff } from './numbers.js';
import { registerSuite, type Suite } from './suite.js';

export interface CrsModelCase {
  name: string;
  /** A fresh, unprepared model. */
  create(): CrsModel | Promise<CrsModel>;
  /** Catalogue the checks prepare it with. */
  catalogue: CrsCatalogue;
  /** Contexts to score (at least two, so batch independence is checked). */
  contexts: readonly (readonly DialogueTurn[])[];
  /** Planted cases: item `item` must be among the top `k` for `context`. */
  planted?: { context: readonly DialogueTurn[]; item: number; k: number }[];
  /** A secret the model was given (an API key): it must not appear in `id`. */
  secret?: string;
}

async function prepared(c: CrsModelCase): Promise<CrsModel> {
  const model = await c.create();
  await model.prepare(c.catalogue);
  return model;
}

/** Rank (0-based) of `item` in a score row, ties counted against it. */
function pessimisticRank(row: Float32Array, item: number): number {
  let rank = 0;
  for (let j = 0; j < row.length; j++) if (j !== item && row[j] >= row[item]) rank++;
  return rank;
}

/**
 * The CrsModel contract: a name and a secret-free id; [contexts, nItems]
 * finite scores once prepared (and an LmrecError before); a context's row
 * independent of the batch; the same scores twice; an empty batch is empty;
 * planted items ranked where the case says.
 */
export function crsModelSuite(c: CrsModelCase): Suite {
  const n = c.catalogue.titles.length;
  const checks: Suite['checks'] = [
    {
      title: 'has a name and an id without secrets',
      run: async () => {
        const model = await c.create();
        expect(typeof model.name === 'string' && model.name.length > 0, 'name').toBe(true);
        expect(typeof model.id === 'string' && model.id.length > 0, 'id').toBe(true);
        if (c.secret) expect(model.id.includes(c.secret), 'the id leaks the secret').toBe(false);
      },
    },
    {
      title: 'refuses to score before prepare, with an LmrecError',
      run: async () => {
        const model = await c.create();
        expectLmrecError(await caught(() => model.scoreContexts(c.contexts)));
      },
    },
    {
      title: 'gives [contexts, nItems] finite scores; an empty batch is empty',
      run: async () => {
        const model = await prepared(c);
        const scores = await model.scoreContexts(c.contexts);
        expect(scores.length).toBe(c.contexts.length * n);
        expect(allFinite(scores)).toBe(true);
        expect((await model.scoreContexts([])).length).toBe(0);
      },
    },
    {
      title: "a context's scores do not depend on the other contexts in the batch, and repeat exactly",
      run: async () => {
        const model = await prepared(c);
        const all = await model.scoreContexts(c.contexts);
        for (const [r, context] of c.contexts.entries()) {
          expect(maxAbsDiff(await model.scoreContexts([context]), all.subarray(r * n, (r + 1) * n)), `context ${r}`).toBeLessThan(1e-5);
        }
        expect(maxAbsDiff(await model.scoreContexts(c.contexts), all), 'second call').toBe(0);
      },
    },
    {
      title: 'ranks the planted items where the case says',
      run: async (ctx) => {
        if (!c.planted?.length) return ctx.skip('no planted cases');
        const model = await prepared(c);
        const scores = await model.scoreContexts(c.planted.map((p) => p.context));
        c.planted.forEach((p, r) => expect(pessimisticRank(scores.subarray(r * n, (r + 1) * n), p.item), `planted case ${r}`).toBeLessThan(p.k));
      },
    },
  ];
  return { title: `CrsModel contract: ${c.name}`, checks };
}

export function crsModelContract(c: CrsModelCase): void {
  registerSuite(crsModelSuite(c));
}

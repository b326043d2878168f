import { expect } from 'vitest';
import type { Backbone, DialogueTurn } from '@lmrec/core';
import { allFinite, maxAbsDiff } from './numbers.js';
import { registerSuite, type Suite } from './suite.js';

export interface BackboneCase {
  name: string;
  /** The backbone under test (created once for the suite). */
  create(): Backbone | Promise<Backbone>;
  /** At least two contexts it can encode (artifact backbones only know their exported ones). */
  contexts: DialogueTurn[][];
  /** Titles it can tokenize. */
  titles: string[];
  teardown?(): unknown | Promise<unknown>;
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-6) => expect(maxAbsDiff(a, b)).toBeLessThanOrEqual(tol);

/**
 * The Backbone contract: one finite d-vector per context, deterministic and
 * independent of the batch; titles tokenized into integer ids, the same title
 * always the same way; token-table rows returned row by row.
 */
export function backboneSuite(c: BackboneCase): Suite {
  let backbone: Promise<Backbone> | undefined;
  const get = () => (backbone ??= Promise.resolve(c.create()));
  return {
    title: `Backbone contract: ${c.name}`,
    teardown: () => c.teardown?.(),
    checks: [
      {
        title: 'gives one finite d-vector per context, deterministic and batch-independent',
        run: async () => {
          const b = await get();
          expect(c.contexts.length, 'give at least two contexts').toBeGreaterThanOrEqual(2);
          const all = await b.contextVectors(c.contexts);
          expect(all.length).toBe(c.contexts.length);
          for (const v of all) {
            expect(v).toBeInstanceOf(Float32Array);
            expect(v.length).toBe(b.dim);
            expect(allFinite(v)).toBe(true);
          }
          const again = await b.contextVectors([...c.contexts].reverse());
          again.reverse().forEach((v, i) => close(v, all[i], 1e-5));
          close((await b.contextVectors([c.contexts[1]]))[0], all[1], 1e-5);
          expect(maxAbsDiff(all[0], all[1]), 'two different contexts give the same vector').toBeGreaterThan(1e-6);
          expect(await b.contextVectors([])).toEqual([]);
        },
      },
      {
        title: 'tokenizes titles into integer ids, the same title always the same way',
        run: async () => {
          const b = await get();
          const ids = await b.tokenize(c.titles);
          expect(ids.length).toBe(c.titles.length);
          for (const list of ids) {
            expect(list.length).toBeGreaterThan(0);
            expect(list.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
          }
          expect(await b.tokenize([c.titles[0], c.titles[0]])).toEqual([ids[0], ids[0]]);
        },
      },
      {
        title: 'returns the table rows of any ids, row by row, [ids.length * d]',
        run: async () => {
          const b = await get();
          const ids = [...new Set((await b.tokenize(c.titles)).flat())];
          const rows = await b.tokenEmbeddings(ids);
          expect(rows.length).toBe(ids.length * b.dim);
          expect(allFinite(rows)).toBe(true);
          const single = await b.tokenEmbeddings([ids[ids.length - 1], ids[0], ids[0]]);
          close(single.subarray(0, b.dim), rows.subarray((ids.length - 1) * b.dim));
          close(single.subarray(b.dim, 2 * b.dim), rows.subarray(0, b.dim));
          close(single.subarray(2 * b.dim), rows.subarray(0, b.dim));
          expect(typeof b.id === 'string' && b.id.length > 0, 'id').toBe(true);
        },
      },
    ],
  };
}

/** Registers the Backbone contract for one implementation. */
export function backboneContract(c: BackboneCase): void {
  registerSuite(backboneSuite(c));
}

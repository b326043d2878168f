import { beforeAll, describe, expect, it } from 'vitest';
import type { Backbone, DialogueTurn } from '@lmrec/core';

export interface BackboneCase {
  name: string;
  create(): Promise<Backbone>;
  /** Contexts the backbone can encode (artifacts only know their exported ones). */
  contexts: DialogueTurn[][];
  /** Titles it can tokenize. */
  titles: string[];
  teardown?(): Promise<void>;
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-6) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(tol);
};

/** What every Backbone must do, whatever model is behind it. */
export function backboneContract(c: BackboneCase): void {
  describe(`Backbone contract: ${c.name}`, () => {
    let b: Backbone;
    beforeAll(async () => {
      b = await c.create();
      return c.teardown;
    });

    it('gives one finite d-vector per context, deterministic and batch-independent', async () => {
      const all = await b.contextVectors(c.contexts);
      expect(all.length).toBe(c.contexts.length);
      for (const v of all) {
        expect(v).toBeInstanceOf(Float32Array);
        expect(v.length).toBe(b.dim);
        expect([...v].every(Number.isFinite)).toBe(true);
      }
      const again = await b.contextVectors([...c.contexts].reverse());
      again.reverse().forEach((v, i) => close(v, all[i], 1e-5));
      const one = await b.contextVectors([c.contexts[1]]);
      close(one[0], all[1], 1e-5);
      // different contexts give different vectors
      const diff = all[0].reduce((s, x, j) => s + Math.abs(x - all[1][j]), 0);
      expect(diff).toBeGreaterThan(1e-6);
      expect(await b.contextVectors([])).toEqual([]);
    });

    it('tokenizes titles into integer ids, the same title always the same way', async () => {
      const ids = await b.tokenize(c.titles);
      expect(ids.length).toBe(c.titles.length);
      for (const list of ids) {
        expect(list.length).toBeGreaterThan(0);
        expect(list.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
      }
      expect(await b.tokenize([c.titles[0], c.titles[0]])).toEqual([ids[0], ids[0]]);
    });

    it('returns the table rows of any ids, row by row, [ids.length * d]', async () => {
      const ids = [...new Set((await b.tokenize(c.titles)).flat())];
      const rows = await b.tokenEmbeddings(ids);
      expect(rows.length).toBe(ids.length * b.dim);
      expect([...rows].every(Number.isFinite)).toBe(true);
      const single = await b.tokenEmbeddings([ids[ids.length - 1], ids[0], ids[0]]);
      close(single.subarray(0, b.dim), rows.subarray((ids.length - 1) * b.dim));
      close(single.subarray(b.dim, 2 * b.dim), rows.subarray(0, b.dim));
      close(single.subarray(2 * b.dim), rows.subarray(0, b.dim));
      expect(typeof b.id).toBe('string');
    });
  });
}

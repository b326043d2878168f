import { beforeAll, describe, expect, it } from 'vitest';
import { Csr, initBackend, Rng, tf, type CfSplit } from '@lmrec/core';
import { recommenderContract } from '@lmrec/testing';
import { BcLoss, popularityGroups, recsysOptions, type InteractionBatch, type RecsysFitOptions } from '../../src/index.js';
import { cosine, layersJs, meanOf, normAdjDense, numericGrad, toRows, type Rows } from './cf-reference.js';

const fit: RecsysFitOptions = { epochs: 40, batchSize: 256, lr: 1e-2, evalEvery: 5, metric: 'recall@10' };
for (const backbone of ['mf', 'lightgcn'] as const) {
  recommenderContract({ name: `bcloss-${backbone}`, create: () => new BcLoss({ backbone }), fit, quickFit: { ...fit, epochs: 1, evalEvery: 0 }, training: { fit: { ...fit, epochs: 4, evalEvery: 2, patience: 100 } } });
}

beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
});

// item degrees 2, 3, 1, 2 and user degrees 2, 3, 3: with 3 groups, users -> [0, 1, 1], items -> [0, 2, 0, 0] (by hand)
const rows = [[0, 1], [1, 2, 3], [0, 1, 3]];
const userGroup = [0, 1, 1];
const itemGroup = [0, 2, 0, 0];
const tiny: CfSplit = { nUsers: 3, nItems: 4, train: Csr.fromRows(4, rows), valid: Csr.fromRows(4, [[2], [0], [2]]), test: Csr.fromRows(4, [[3], [], [2]]) };
const batch: InteractionBatch = { users: Int32Array.of(0, 1, 2, 1), pos: Int32Array.of(1, 3, 0, 2), neg: new Int32Array(0), negatives: 0 };
const dim = 3;
const G = 3;

/** -log softmax(logits)[r], averaged. */
const ce = (logits: number[][]) => logits.reduce((s, row, r) => s + Math.log(row.reduce((a, l) => a + Math.exp(l), 0)) - row[r], 0) / logits.length;

/** BC loss as the authors' released code computes it (margin 1 - sigmoid(pu . pi), weights 1 - lambda and lambda). */
function bcJs(users: Rows, items: Rows, ego: [Rows, Rows], pop: [Rows, Rows], o: { tau1: number; tau2: number; lambda: number; reg: number }): number {
  const b = Array.from(batch.users).map((u, r) => ({ u, i: batch.pos[r] }));
  const popCos = (p: [Rows, Rows]) => b.map((x) => b.map((y) => cosine(p[0][userGroup[x.u]], p[1][itemGroup[y.i]])));
  const lPop = ce(popCos(pop).map((row) => row.map((c) => c / o.tau2)));
  const dot = (a: number[], c: number[]) => a.reduce((s, v, t) => s + v * c[t], 0);
  let main = 0;
  b.forEach((x) => {
    const margin = 1 - 1 / (1 + Math.exp(-dot(pop[0][userGroup[x.u]], pop[1][itemGroup[x.i]])));
    const pos = Math.cos(Math.acos(cosine(users[x.u], items[x.i])) + margin) / o.tau1;
    main += Math.log(b.reduce((s, y) => s + Math.exp(cosine(users[x.u], items[y.i]) / o.tau1), 0)) - pos;
  });
  const sq = (v: number[]) => v.reduce((a, t) => a + t * t, 0);
  const l2 = b.reduce((s, x) => s + sq(ego[0][x.u]) + sq(ego[1][x.i]) + sq(pop[0][userGroup[x.u]]) + sq(pop[1][itemGroup[x.i]]), 0);
  return ((1 - o.lambda) * main) / b.length + o.lambda * lPop + ((o.reg / 2) * l2) / b.length;
}

const full = normAdjDense(3, 4, rows.flatMap((r, u) => r.map((i) => [u, i] as [number, number])));

describe('BC Loss', () => {
  it('popularity groups follow the degree quantiles, ties kept together', () => {
    expect(Array.from(popularityGroups(Int32Array.of(5, 1, 3, 3, 9, 1), 3))).toEqual([2, 0, 1, 1, 2, 0]);
  });

  for (const backbone of ['mf', 'lightgcn'] as const) {
    it(`${backbone}: loss and gradient equal a plain-JS BC loss on a 3-user / 4-item graph`, () => {
      const o = { tau1: 0.2, tau2: 0.3, lambda: 0.4, reg: 1e-2 };
      const model = new BcLoss({ backbone, dim, layers: 2, popGroups: G, tau1: o.tau1, tau2: o.tau2, popWeight: o.lambda, reg: o.reg });
      model.init(tiny, new Rng(1));
      const rng = new Rng(23);
      const x0 = Array.from({ length: 7 * dim + 2 * G * dim }, () => 0.4 * rng.normal());
      const mainKeys = backbone === 'mf' ? { 'user.embedding': [3, dim], 'item.embedding': [4, dim] } : { 'ego.embedding': [7, dim] };
      let at = 0;
      const state: Record<string, tf.Tensor> = {};
      for (const [k, shape] of Object.entries({ ...mainKeys, 'pop.user': [G, dim], 'pop.item': [G, dim] })) {
        state[k] = tf.tensor2d(x0.slice(at, at + shape[0] * dim), shape as [number, number]);
        at += shape[0] * dim;
      }
      model.loadState(state);
      const split = (x: number[]) => {
        const ego = toRows(x.slice(0, 7 * dim), dim);
        const final = backbone === 'mf' ? ego : meanOf(layersJs(full, ego, 2));
        return { ego, final, pop: [toRows(x.slice(21, 21 + G * dim), dim), toRows(x.slice(21 + G * dim), dim)] as [Rows, Rows] };
      };
      const f = (x: number[]) => {
        const p = split(x);
        return bcJs(p.final.slice(0, 3), p.final.slice(3), [p.ego.slice(0, 3), p.ego.slice(3)], p.pop, o);
      };
      const vars = model.trainableVariables();
      const { value, grads } = tf.variableGrads(() => model.loss(batch), vars);
      expect(value.dataSync()[0]).toBeCloseTo(f(x0), 5);
      const g = vars.flatMap((v) => Array.from(grads[v.name].dataSync()));
      numericGrad(f, x0).forEach((fd, k) => expect(g[k]).toBeCloseTo(fd, 4));
      model.dispose();
    });
  }

  it('scores are cosines of the final embeddings', async () => {
    const model = new BcLoss({ backbone: 'mf', dim });
    await model.fit(tiny, { epochs: 2, batchSize: 4, evalEvery: 0 });
    const s = model.state();
    const u = toRows(s['user.embedding'].dataSync(), dim);
    const i = toRows(s['item.embedding'].dataSync(), dim);
    const scores = await model.scoreBlock(Int32Array.of(0, 1, 2));
    for (let a = 0; a < 3; a++) for (let b = 0; b < 4; b++) expect(scores[a * 4 + b]).toBeCloseTo(cosine(u[a], i[b]), 5);
  });

  it('options: strict', () => {
    expect(recsysOptions.bclossOptions.safeParse({ backbone: 'mf', tau1: 0.07, popGroups: 20 }).success).toBe(true);
    expect(JSON.stringify(recsysOptions.bclossOptions.safeParse({ margin: 1 }).error?.issues)).toContain('margin');
    expect(recsysOptions.bclossOptions.safeParse({ backbone: 'ngcf' }).success).toBe(false);
    expect(recsysOptions.bclossOptions.safeParse({ popGroups: 1 }).success).toBe(false);
  });
});

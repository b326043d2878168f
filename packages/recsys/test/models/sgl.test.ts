import { beforeAll, describe, expect, it } from 'vitest';
import { Csr, initBackend, Rng, tf, type CfSplit } from '@lmrec/core';
import { recommenderContract } from '@lmrec/testing';
import { augmentedView, dropEdges, dropNodes, LightGcn, recsysOptions, Sgl, type InteractionBatch, type RecsysFitOptions, type StepContext } from '../../src/index.js';
import { bprJs, distinct, infoNceJs, layersJs, meanOf, normAdjDense, numericGrad, pick, toRows, type Rows } from './cf-reference.js';

const fit: RecsysFitOptions = { epochs: 40, batchSize: 256, lr: 1e-2, evalEvery: 5, metric: 'recall@10' };
recommenderContract({ name: 'sgl', create: () => new Sgl(), fit, quickFit: { ...fit, epochs: 1, evalEvery: 0 }, training: { fit: { ...fit, epochs: 4, evalEvery: 2, patience: 100 } } });

beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
});

// 3 users x 4 items
const rows = [[0, 1], [1, 2, 3], [0, 3]];
const tiny: CfSplit = { nUsers: 3, nItems: 4, train: Csr.fromRows(4, rows), valid: Csr.fromRows(4, [[2], [0], [1]]), test: Csr.fromRows(4, [[3], [], [2]]) };
const batch: InteractionBatch = { users: Int32Array.of(0, 1, 2, 1), pos: Int32Array.of(1, 3, 0, 2), neg: Int32Array.of(2, 0, 1, 0), negatives: 1 };
const ego0 = [0.3, -0.2, 0.5, 0.1, 0.4, -0.3, -0.5, 0.2, 0.1, 0.2, 0.6, -0.1, -0.3, -0.4, 0.2, 0.4, 0.1, 0.3, 0.05, -0.2, -0.6];
const dim = 3;

/** The (user, item) edges of a normalised bipartite adjacency, checking its values against the dense formula. */
function edgesOf(adj: Csr, nU: number, nI: number): [number, number][] {
  const edges: [number, number][] = [];
  for (let u = 0; u < nU; u++) for (const j of adj.row(u)) edges.push([u, j - nU]);
  const dense = normAdjDense(nU, nI, edges);
  for (let r = 0; r < adj.nRows; r++) adj.row(r).forEach((c, k) => expect(adj.rowValues(r)![k]).toBeCloseTo(dense[r][c], 6));
  return edges;
}

function sglJs(ego: Rows, views: Rows[][], full: Rows, o: { layers: number; tau: number; w: number; reg: number }): number {
  const final = meanOf(layersJs(full, ego, o.layers));
  const bpr = bprJs(final, ego, 3, Array.from(batch.users), Array.from(batch.pos), Array.from(batch.neg), o.reg);
  const [a, b] = views.map((v) => meanOf(layersJs(v, ego, o.layers)));
  const users = distinct(Array.from(batch.users));
  const items = distinct(Array.from(batch.pos), 3);
  return bpr + o.w * (infoNceJs(pick(a, users), pick(b, users), o.tau) + infoNceJs(pick(a, items), pick(b, items), o.tau));
}

describe('SGL', () => {
  for (const augmentation of ['edge', 'node', 'walk'] as const) {
    it(`${augmentation}: loss and gradient equal a plain-JS SGL on a 3-user / 4-item graph`, () => {
      const o = { layers: 2, tau: 0.3, w: 0.5, reg: 1e-2 };
      const model = new Sgl({ dim, layers: o.layers, augmentation, dropRatio: 0.4, tau: o.tau, sslWeight: o.w, reg: o.reg });
      model.init(tiny, new Rng(1));
      const ego = tf.tensor2d(ego0, [7, dim]);
      model.loadState({ 'ego.embedding': ego });
      const ctx = { epoch: 0, step: 0, rng: new Rng(42), split: tiny } as StepContext;
      const views = model.viewsFor(0, ctx.rng).map((layers) => layers.map((adj) => normAdjDense(3, 4, edgesOf(adj, 3, 4))));
      if (augmentation !== 'walk') for (const v of views) expect(v[1]).toEqual(v[0]);
      const full = normAdjDense(3, 4, rows.flatMap((r, u) => r.map((i) => [u, i] as [number, number])));
      const f = (x: number[]) => sglJs(toRows(x, dim), views, full, o);
      const { value, grads } = tf.variableGrads(() => model.loss(batch, ctx), model.trainableVariables());
      expect(value.dataSync()[0]).toBeCloseTo(f(ego0), 5);
      const g = grads[model.trainableVariables()[0].name].dataSync();
      numericGrad(f, ego0).forEach((fd, k) => expect(g[k]).toBeCloseTo(fd, 4));
      model.dispose();
    });
  }

  it('views: a subgraph of the train graph, the same for the same epoch stream, different between the two views', () => {
    const rng = new Rng(3);
    const big = Csr.fromRows(50, Array.from({ length: 40 }, () => [...new Set(Array.from({ length: 20 }, () => rng.int(50)))]));
    const d1 = dropEdges(big, 0.3, new Rng(9));
    expect(d1.nnz / big.nnz).toBeGreaterThan(0.65);
    expect(d1.nnz / big.nnz).toBeLessThan(0.75);
    for (let u = 0; u < 40; u++) for (const j of d1.row(u)) expect(big.has(u, j)).toBe(true);
    expect(Array.from(dropEdges(big, 0.3, new Rng(9)).indices)).toEqual(Array.from(d1.indices));
    const nd = dropNodes(big, 0.5, new Rng(9));
    // a dropped user keeps no edge; kept users lose only the edges of dropped items
    const emptied = Array.from({ length: 40 }, (_, u) => nd.degree(u) === 0).filter(Boolean).length;
    expect(emptied).toBeGreaterThan(8);
    const walk = augmentedView(big, 'walk', 0.3, 3, new Rng(4));
    expect(walk[0].indices).not.toEqual(walk[1].indices);
  });

  it('sslWeight 0 trains exactly like LightGCN', async () => {
    const split = { ...tiny };
    const o = { epochs: 3, batchSize: 4, lr: 0.05, evalEvery: 0 };
    const a = new Sgl({ dim: 4, sslWeight: 0 });
    const b = new LightGcn({ dim: 4 });
    await a.fit(split, o);
    await b.fit(split, o);
    expect(Array.from(await a.scoreBlock(Int32Array.of(0, 1, 2)))).toEqual(Array.from(await b.scoreBlock(Int32Array.of(0, 1, 2))));
  });

  it('options: strict, ranges checked', () => {
    expect(recsysOptions.sglOptions.safeParse({ augmentation: 'walk', dropRatio: 0.2, tau: 0.1 }).success).toBe(true);
    const unknown = recsysOptions.sglOptions.safeParse({ dropratio: 0.2 });
    expect(unknown.success).toBe(false);
    expect(JSON.stringify(unknown.error?.issues)).toContain('dropratio');
    expect(recsysOptions.sglOptions.safeParse({ dropRatio: 1 }).success).toBe(false);
    expect(recsysOptions.sglOptions.safeParse({ augmentation: 'nodes' }).success).toBe(false);
  });
});

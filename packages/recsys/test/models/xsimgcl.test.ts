import { beforeAll, describe, expect, it } from 'vitest';
import { Csr, initBackend, Rng, tf, type CfSplit } from '@lmrec/core';
import { caught, expectLmrecError, recommenderContract } from '@lmrec/testing';
import { recsysOptions, XSimGcl, type InteractionBatch, type RecsysFitOptions, type StepContext } from '../../src/index.js';
import { bprJs, distinct, infoNceJs, layersJs, meanOf, normAdjDense, numericGrad, pick, toRows, type Rows } from './cf-reference.js';

const fit: RecsysFitOptions = { epochs: 40, batchSize: 256, lr: 1e-2, evalEvery: 5, metric: 'recall@10' };
recommenderContract({ name: 'xsimgcl', create: () => new XSimGcl(), fit, quickFit: { ...fit, epochs: 1, evalEvery: 0 }, training: { fit: { ...fit, epochs: 4, evalEvery: 2, patience: 100 } } });

beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
});

const rows = [[0, 1], [1, 2, 3], [0, 3]];
const tiny: CfSplit = { nUsers: 3, nItems: 4, train: Csr.fromRows(4, rows), valid: Csr.fromRows(4, [[2], [0], [1]]), test: Csr.fromRows(4, [[3], [], [2]]) };
const batch: InteractionBatch = { users: Int32Array.of(0, 1, 2, 1), pos: Int32Array.of(1, 3, 0, 2), neg: Int32Array.of(2, 0, 1, 0), negatives: 1 };
// random weights: a propagated entry at exactly 0 would put sign()'s jump inside the finite difference
const seeded = new Rng(17);
const ego0 = Array.from({ length: 21 }, () => 0.3 * seeded.normal());
const dim = 3;
const full = normAdjDense(3, 4, rows.flatMap((r, u) => r.map((i) => [u, i] as [number, number])));

/** The paper's forward pass with the noise drawn as uniform rows (U(0,1), row-normalised) in layer order from `seed`. */
function xsimgclJs(ego: Rows, o: { L: number; cl: number; eps: number; tau: number; w: number; reg: number }, seed: number): number {
  const rng = new Rng(seed);
  const noise = Array.from({ length: o.L }, () => ego.map((row) => row.map(() => rng.float())));
  const perturb = (x: Rows, k: number) =>
    x.map((row, r) => {
      const n = Math.hypot(...noise[k][r]);
      return row.map((v, t) => v + o.eps * Math.sign(v) * (noise[k][r][t] / n));
    });
  const layers = layersJs(full, ego, o.L, perturb);
  const final = meanOf(layers.slice(1));
  const bpr = bprJs(final, ego, 3, Array.from(batch.users), Array.from(batch.pos), Array.from(batch.neg), o.reg);
  const users = distinct(Array.from(batch.users));
  const items = distinct(Array.from(batch.pos), 3);
  const cl = layers[o.cl];
  return bpr + o.w * (infoNceJs(pick(final, users), pick(cl, users), o.tau) + infoNceJs(pick(final, items), pick(cl, items), o.tau));
}

describe('XSimGCL', () => {
  for (const eps of [0, 0.2]) {
    it(`eps ${eps}: loss and gradient equal a plain-JS XSimGCL on a 3-user / 4-item graph`, () => {
      const o = { L: 3, cl: 2, eps, tau: 0.25, w: 0.3, reg: 1e-2 };
      const model = new XSimGcl({ dim, layers: o.L, clLayer: o.cl, eps, tau: o.tau, sslWeight: o.w, reg: o.reg });
      model.init(tiny, new Rng(1));
      model.loadState({ 'ego.embedding': tf.tensor2d(ego0, [7, dim]) });
      const f = (x: number[]) => xsimgclJs(toRows(x, dim), o, 42);
      const { value, grads } = tf.variableGrads(() => model.loss(batch, { epoch: 0, step: 0, rng: new Rng(42), split: tiny } as StepContext), model.trainableVariables());
      expect(value.dataSync()[0]).toBeCloseTo(f(ego0), 5);
      const g = grads[model.trainableVariables()[0].name].dataSync();
      numericGrad(f, ego0).forEach((fd, k) => expect(g[k]).toBeCloseTo(fd, 4));
      model.dispose();
    });
  }

  it('scores without noise: user . item of the mean of layers 1..L', async () => {
    const model = new XSimGcl({ dim, layers: 2 });
    model.init(tiny, new Rng(1));
    model.loadState({ 'ego.embedding': tf.tensor2d(ego0, [7, dim]) });
    await model.fit(tiny, { epochs: 1, evalEvery: 0 }); // expected scores come from whatever weights the fit left
    const e = toRows(model.state()['ego.embedding'].dataSync(), dim);
    const final = meanOf(layersJs(full, e, 2).slice(1));
    const scores = await model.scoreBlock(Int32Array.of(0, 1, 2));
    for (let u = 0; u < 3; u++) for (let i = 0; i < 4; i++) expect(scores[u * 4 + i]).toBeCloseTo(final[u].reduce((s, v, t) => s + v * final[3 + i][t], 0), 5);
  });

  it('options: clLayer within 1..layers, unknown keys rejected', async () => {
    expect(recsysOptions.xsimgclOptions.safeParse({ layers: 2, clLayer: 3 }).success).toBe(false);
    expect(recsysOptions.xsimgclOptions.safeParse({ layers: 3, clLayer: 3, eps: 0.1 }).success).toBe(true);
    expect(JSON.stringify(recsysOptions.xsimgclOptions.safeParse({ epsilon: 0.1 }).error?.issues)).toContain('epsilon');
    expectLmrecError(await caught(() => new XSimGcl({ layers: 1, clLayer: 2 })), 'E_CONFIG');
  });
});

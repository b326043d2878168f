import { initBackend, kernelSettings, kernelStats, Rng, tf } from '@lmrec/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { InteractionSampler, LightGcn, MfBpr, type InteractionBatch } from '../../src/index.js';
import { bprFused, bprRegCounted, bprStep } from '../../src/models/bpr-kernel.js';
import { plantedSplit } from '../helpers.js';

beforeAll(async () => {
  await initBackend();
});

function randomRows(rng: Rng, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal() * 0.3);
}

/** The BPR loss written out element by element in float64, and its gradient by central differences. */
function referenceLoss(U: Float32Array | Float64Array, I: Float32Array | Float64Array, d: number, b: InteractionBatch, reg: number, divisor: number): number {
  const dot = (x: Float32Array | Float64Array, xo: number, y: Float32Array | Float64Array, yo: number) => {
    let s = 0;
    for (let t = 0; t < d; t++) s += x[xo + t] * y[yo + t];
    return s;
  };
  let rank = 0;
  let l2 = 0;
  const K = b.negatives;
  for (let r = 0; r < b.users.length; r++) {
    const u = b.users[r] * d;
    const p = b.pos[r] * d;
    l2 += dot(U, u, U, u) + dot(I, p, I, p);
    for (let k = 0; k < K; k++) {
      const n = b.neg[r * K + k] * d;
      rank += -Math.log(1 / (1 + Math.exp(-(dot(U, u, I, p) - dot(U, u, I, n)))));
      l2 += dot(I, n, I, n);
    }
  }
  return rank / (b.users.length * K) + (reg * l2) / 2 / divisor;
}

const twoNegatives: InteractionBatch = { users: Int32Array.from([0, 3, 3, 6]), pos: Int32Array.from([1, 2, 2, 8]), neg: Int32Array.from([4, 5, 0, 7, 1, 1, 3, 2]), negatives: 2 };
const oneNegative: InteractionBatch = { users: Int32Array.from([0, 3, 3, 6, 1]), pos: Int32Array.from([1, 2, 2, 8, 0]), neg: Int32Array.from([4, 0, 5, 2, 8]), negatives: 1 };

// dim 8 with one negative takes core's SIMD pair kernels, the others the JS loops
describe.each([
  [5, twoNegatives],
  [8, twoNegatives],
  [5, oneNegative],
  [8, oneNegative],
] as const)('bprStep (the fused BPR kernel), dim %i, batch %#', (d, batch) => {
  const rng = new Rng(3);
  const [nU, nI] = [7, 9];
  const U = randomRows(rng, nU * d);
  const I = randomRows(rng, nI * d);

  it('gives the loss of the formula, L2 over the given divisor', () => {
    const r = bprStep({ users: U, items: I }, { users: U, items: I }, d, batch, 0.1, 4096);
    expect(r.loss).toBeCloseTo(referenceLoss(U, I, d, batch, 0.1, 4096), 5);
  });

  it('gives the gradient of central differences', () => {
    const r = bprStep({ users: U, items: I }, { users: U, items: I }, d, batch, 0.1, 3);
    const h = 1e-4;
    const check = (which: 'U' | 'I', grad: Float32Array) => {
      for (let i = 0; i < grad.length; i++) {
        const plus = Float64Array.from(which === 'U' ? U : I);
        const minus = Float64Array.from(plus);
        plus[i] += h;
        minus[i] -= h;
        const f = (x: Float64Array) => (which === 'U' ? referenceLoss(x, I, d, batch, 0.1, 3) : referenceLoss(U, x, d, batch, 0.1, 3));
        expect(grad[i]).toBeCloseTo((f(plus) - f(minus)) / (2 * h), 4);
      }
    };
    const add = (a: Float32Array, b: Float32Array) => a.map((v, i) => v + b[i]);
    check('U', add(r.dScore.users, r.dReg.users));
    check('I', add(r.dScore.items, r.dReg.items));
  });
});

// dim 7: the JS loops; dim 8: core's SIMD kernels (dim a multiple of 4)
describe.each([7, 8])('bprFused (MF: score and L2 rows the same tables), dim %i', (d) => {
  const rng = new Rng(5);
  const [nU, nI] = [6, 8];
  const U = randomRows(rng, nU * d);
  const I = randomRows(rng, nI * d);
  const one: InteractionBatch = { users: Int32Array.from([0, 2, 2, 5, 1]), pos: Int32Array.from([1, 3, 3, 7, 0]), neg: Int32Array.from([4, 1, 3, 0, 0]), negatives: 1 };
  const two: InteractionBatch = { users: Int32Array.from([0, 2]), pos: Int32Array.from([1, 3]), neg: Int32Array.from([4, 5, 3, 3]), negatives: 2 };
  for (const [label, batch, reg] of [['one negative', one, 0.3], ['one negative, no L2', one, 0], ['two negatives (two passes)', two, 0.3]] as const) {
    it(`${label}: the loss and summed gradient of bprStep (1e-6), and of the formula`, () => {
      const want = bprStep({ users: U, items: I }, { users: U, items: I }, d, batch, reg, 4);
      const grad = { users: new Float32Array(nU * d), items: new Float32Array(nI * d) };
      const calls = kernelStats().kernelCalls;
      const loss = bprFused({ users: U, items: I }, grad, d, batch, reg, 4);
      expect(Math.abs(loss - want.loss)).toBeLessThan(1e-6);
      expect(loss).toBeCloseTo(referenceLoss(U, I, d, batch, reg, 4), 5);
      if (d === 8 && kernelSettings().wasm && kernelSettings().wasmAvailable && batch.negatives === 1) expect(kernelStats().kernelCalls).toBeGreaterThan(calls);
      const sum = (a: Float32Array, b: Float32Array) => Array.from(a, (v, i) => v + b[i]);
      for (const [got, a, b] of [[grad.users, want.dScore.users, want.dReg.users], [grad.items, want.dScore.items, want.dReg.items]] as const) {
        const w = sum(a, b);
        got.forEach((x, i) => expect(Math.abs(x - w[i])).toBeLessThan(1e-6));
        expect(w.some((x) => Math.abs(x) > 1e-3)).toBe(true);
      }
    });
  }
});

describe('bprRegCounted (the L2 term by row counts)', () => {
  it('gives the L2 loss and gradient of bprStep, repeated rows included (1e-6)', () => {
    const rng = new Rng(9);
    const [nU, nI, d] = [5, 6, 4];
    const rows = { users: randomRows(rng, nU * d), items: randomRows(rng, nI * d) };
    const zero = { users: new Float32Array(nU * d), items: new Float32Array(nI * d) };
    const batch: InteractionBatch = { users: Int32Array.from([0, 4, 4, 4, 1]), pos: Int32Array.from([1, 1, 2, 5, 2]), neg: Int32Array.from([3, 1, 0, 0, 5, 5, 2, 1, 1, 4]), negatives: 2 };
    // score rows zero: bprStep's loss is then log 2 plus the L2 term alone
    const want = bprStep(zero, rows, d, batch, 0.4, 3);
    const grad = { users: new Float32Array(nU * d), items: new Float32Array(nI * d) };
    const l2 = bprRegCounted(rows, grad, d, batch, 0.4, 3);
    expect(Math.abs(l2 - (want.loss - Math.log(2)))).toBeLessThan(1e-6);
    grad.users.forEach((x, i) => expect(Math.abs(x - want.dReg.users[i])).toBeLessThan(1e-6));
    grad.items.forEach((x, i) => expect(Math.abs(x - want.dReg.items[i])).toBeLessThan(1e-6));
    expect(bprRegCounted(rows, grad, d, batch, 0, 3)).toBe(0);
  });
});

describe('official BPR options (AlphaRec code: drop_last, xavier_normal_, L2 / batch_size)', () => {
  const split = plantedSplit({ users: 60, items: 40 });
  const nnz = split.train.nnz;

  it('dropLast trains floor(n / batch) steps of full batches', async () => {
    const fit = { epochs: 1, batchSize: 64, evalEvery: 0, seed: 1 };
    const dropped = await new MfBpr({ dropLast: true }).fit(split, fit);
    const kept = await new MfBpr().fit(split, fit);
    expect(dropped.log[0].steps).toBe(Math.floor(nnz / 64));
    expect(dropped.log[0].samples).toBe(Math.floor(nnz / 64) * 64);
    expect(kept.log[0].steps).toBe(Math.ceil(nnz / 64));
  });

  it("divides a short last batch's L2 by the configured batch size", () => {
    const sampler = new InteractionSampler(split.train, { negatives: 1 });
    const batches = [...sampler.batches(new Rng(2), 64)];
    const last = batches[batches.length - 1].batch;
    expect(last.users.length).toBeLessThan(64);
    expect(last.batchSize).toBe(64);
    const mf = new MfBpr({ reg: 0.5, kernel: 'tape' });
    mf.init(split, new Rng(5));
    const [U, I] = mf.trainableVariables().map((v) => v.dataSync() as Float32Array);
    const loss = tf.tidy(() => mf.loss(last).dataSync()[0]);
    expect(loss).toBeCloseTo(referenceLoss(U, I, mf.dim, last, 0.5, 64), 5);
  });

  it("xavier init draws each table with torch's xavier_normal_ std sqrt(2 / (rows + dim))", () => {
    const big = plantedSplit({ users: 400, items: 150 });
    const std = (x: Float32Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);
    const mf = new MfBpr({ init: 'xavier', dim: 32 });
    mf.init(big, new Rng(1));
    const [u, i] = mf.trainableVariables().map((v) => v.dataSync() as Float32Array);
    expect(std(u)).toBeCloseTo(Math.sqrt(2 / (400 + 32)), 2);
    expect(std(i)).toBeCloseTo(Math.sqrt(2 / (150 + 32)), 2);
    const gcn = new LightGcn({ init: 'xavier', dim: 32 });
    gcn.init(big, new Rng(1));
    const ego = gcn.trainableVariables()[0].dataSync() as Float32Array;
    expect(std(ego.subarray(0, 400 * 32))).toBeCloseTo(Math.sqrt(2 / (400 + 32)), 2);
    expect(std(ego.subarray(400 * 32))).toBeCloseTo(Math.sqrt(2 / (150 + 32)), 2);
  });

  it('the fused kernel trains the same loss curve as the taped ops (MF and LightGCN)', async () => {
    const fit = { epochs: 3, batchSize: 50, lr: 1e-2, evalEvery: 0, seed: 4 };
    for (const make of [(k: 'fused' | 'tape') => new MfBpr({ kernel: k, reg: 1e-3 }), (k: 'fused' | 'tape') => new LightGcn({ kernel: k, layers: 2, reg: 1e-3 })]) {
      const fused = await make('fused').fit(split, fit);
      const tape = await make('tape').fit(split, fit);
      fused.log.forEach((r, e) => expect(r.loss).toBeCloseTo(tape.log[e].loss, 5));
    }
  });

  it("hostStep (the Trainer's path) and loss under the tape (the fused kernel through tf.customGrad) agree with the taped ops", () => {
    const batch = [...new InteractionSampler(split.train, { negatives: 1 }).batches(new Rng(6), 64)][0].batch;
    for (const make of [(k: 'fused' | 'tape') => new MfBpr({ kernel: k, reg: 0.05, dim: 16 }), (k: 'fused' | 'tape') => new LightGcn({ kernel: k, layers: 2, reg: 0.05, dim: 16 })]) {
      const [fused, tape] = [make('fused'), make('tape')];
      fused.init(split, new Rng(2));
      tape.init(split, new Rng(2));
      const taped = (m: MfBpr | LightGcn) =>
        tf.tidy(() => {
          const { value, grads } = tf.variableGrads(() => m.loss(batch, undefined as never), m.trainableVariables());
          return { loss: value.dataSync()[0], grads: m.trainableVariables().map((v) => Array.from(grads[v.name].dataSync())) };
        });
      const want = taped(tape);
      const viaTape = taped(fused);
      const host = fused.hostStep(batch)!;
      expect(tape.hostStep(batch)).toBeUndefined();
      for (const got of [viaTape, { loss: host.loss, grads: host.grads.map((g) => Array.from(g!)) }]) {
        expect(got.loss).toBeCloseTo(want.loss, 5);
        got.grads.forEach((g, i) => g.forEach((x, j) => expect(Math.abs(x - want.grads[i][j])).toBeLessThan(1e-6)));
      }
      expect(want.grads[0].some((x) => Math.abs(x) > 1e-4)).toBe(true);
    }
  });
});

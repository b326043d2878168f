import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { initBackend, kernelSettings, kernelStats, Rng, setKernelSettings, tf } from '@lmrec/core';
import { infoNce, type ContrastiveBatch } from '../src/infonce.js';
import { AlphaRecNet } from '../src/model.js';
import { propagateTensor } from '../src/graph.js';
import { randomArray, splitFromRows } from './helpers.js';

beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
});

/** The paper's formula, term by term, in float64. */
function directLoss(users: ArrayLike<number>, items: ArrayLike<number>, dim: number, batch: ContrastiveBatch, tau: number): number {
  const row = (x: ArrayLike<number>, i: number) => Array.from({ length: dim }, (_, t) => x[i * dim + t]);
  const cos = (a: number[], b: number[]) => {
    const dot = a.reduce((s, v, t) => s + v * b[t], 0);
    return dot / (Math.hypot(...a) * Math.hypot(...b));
  };
  let total = 0;
  for (let b = 0; b < batch.users.length; b++) {
    const u = row(users, batch.users[b]);
    const num = Math.exp(cos(u, row(items, batch.pos[b])) / tau);
    let den = num;
    for (let k = 0; k < batch.negatives; k++) den += Math.exp(cos(u, row(items, batch.neg[b * batch.negatives + k])) / tau);
    total += -Math.log(num / den);
  }
  return total / batch.users.length;
}

function makeBatch(rng: Rng, nU: number, nI: number, B: number, K: number): ContrastiveBatch {
  const users = Int32Array.from({ length: B }, () => rng.int(nU));
  const pos = Int32Array.from({ length: B }, () => rng.int(nI));
  const neg = Int32Array.from({ length: B * K }, () => rng.int(nI));
  return { users, pos, neg, negatives: K };
}

describe('InfoNCE', () => {
  // dim 8 takes core's SIMD pair kernel (a multiple of 4); dim 5 and kernels off take the plain loops
  const cases = [['dense', 5, true, 'matMul'], ['sparse', 5, true, 'loops'], ['sparse', 8, true, 'SIMD pair kernel'], ['sparse', 8, false, 'loops, kernels off']] as const;
  for (const [kernel, dim, wasm, path] of cases) {
    it(`${kernel} kernel, d ${dim} (${path}): value equals the direct formula and the gradient equals finite differences`, () => {
      const was = kernelSettings().wasm;
      setKernelSettings({ wasm });
      onTestFinished(() => void setKernelSettings({ wasm: was }));
      if (path === 'SIMD pair kernel' && !kernelSettings().wasmAvailable) return;
      const rng = new Rng(11);
      const nU = 4;
      const nI = 7;
      const users = randomArray(rng, nU * dim);
      const items = randomArray(rng, nI * dim);
      const batch = makeBatch(rng, nU, nI, 6, 3);
      const tau = 0.2;
      const calls = kernelStats().kernelCalls;
      const r = infoNce(users, items, dim, batch, tau, kernel);
      expect(kernelStats().kernelCalls > calls).toBe(path === 'SIMD pair kernel');
      expect(r.loss).toBeCloseTo(directLoss(users, items, dim, batch, tau), 5);
      const h = 1e-4;
      const u64 = Float64Array.from(users);
      const i64 = Float64Array.from(items);
      for (let x = 0; x < u64.length; x++) {
        const p = u64.slice();
        const m = u64.slice();
        p[x] += h;
        m[x] -= h;
        const fd = (directLoss(p, i64, dim, batch, tau) - directLoss(m, i64, dim, batch, tau)) / (2 * h);
        expect(r.dUsers[x]).toBeCloseTo(fd, 3);
      }
      for (let x = 0; x < i64.length; x++) {
        const p = i64.slice();
        const m = i64.slice();
        p[x] += h;
        m[x] -= h;
        const fd = (directLoss(u64, p, dim, batch, tau) - directLoss(u64, m, dim, batch, tau)) / (2 * h);
        expect(r.dItems[x]).toBeCloseTo(fd, 3);
      }
    });
  }

  it('the hand-written model gradient equals tfjs autodiff through the MLP, spmmOp propagation and InfoNCE', () => {
    const rng = new Rng(5);
    const train = [[0, 1], [1, 2, 4], [3], [0, 4]];
    const nItems = 6;
    const d = 8;
    const out = 6;
    const z = randomArray(rng, nItems * d);
    const split = splitFromRows(nItems, train);
    const net = new AlphaRecNet({ dim: d, data: z }, { mapping: 'mlp', hidden: 7, outDim: out, slope: 0.01, layers: 2, tau: 0.15, negatives: 3, lossKernel: 'auto' });
    net.init(split, new Rng(9));
    const batch: ContrastiveBatch = { users: Int32Array.from([0, 1, 3, 1]), pos: Int32Array.from([1, 2, 4, 4]), neg: Int32Array.from([2, 5, 5, 0, 3, 5, 1, 2, 3, 0, 0, 5]), negatives: 3 };
    const mine = net.lossAndGrads(batch);

    // autodiff reference: same math written with tfjs ops only
    const nU = train.length;
    const zu = new Float32Array(nU * d);
    train.forEach((items, u) => items.forEach((j) => { for (let t = 0; t < d; t++) zu[u * d + t] += z[j * d + t] / items.length; }));
    const x = tf.concat([tf.tensor2d(zu, [nU, d]), tf.tensor2d(z, [nItems, d])]);
    const mapping = net.requireMapping();
    const f = () => {
      const e = propagateTensor(net.adj!, mapping.apply(x as tf.Tensor2D), 2);
      const en = tf.div(e, tf.norm(e, 'euclidean', 1, true));
      const u = tf.gather(en, batch.users);
      const p = tf.gather(en, batch.pos.map((j) => j + nU));
      const n = tf.reshape(tf.gather(en, batch.neg.map((j) => j + nU)), [4, 3, out]);
      const sp = tf.sum(tf.mul(u, p), 1);
      const sn = tf.sum(tf.mul(tf.expandDims(u, 1), n), 2);
      const logits = tf.div(tf.concat([tf.expandDims(sp, 1), sn], 1), 0.15);
      return tf.mean(tf.sub(tf.logSumExp(logits, 1), tf.div(sp, 0.15))) as tf.Scalar;
    };
    // wasm has no UnsortedSegmentSum (gather's gradient): autodiff on the cpu backend
    const backend = tf.getBackend();
    tf.setBackend('cpu');
    try {
      const { value, grads } = tf.variableGrads(f, mapping.variables());
      expect(mine.value).toBeCloseTo(value.dataSync()[0], 5);
      mapping.names.forEach((name, i) => {
        const ref = grads[mapping.variables()[i].name].dataSync();
        const got = mine.grads[name];
        expect(got.length).toBe(ref.length);
        for (let k = 0; k < ref.length; k++) expect(got[k]).toBeCloseTo(ref[k], 4);
      });
    } finally {
      tf.setBackend(backend);
    }
    net.dispose();
  });
});

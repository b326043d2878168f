import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, Rng, tf } from '@lmrec/core';
import { FismNet } from '@lmrec/recsys';
import { FixedItemIndex, fusedAffineLoss, fusedGatedLoss, GatedModel, RecSysGate, trainAdapt, type AdaptExamples, type AdaptModel } from '../src/index.js';

beforeAll(async () => {
  await initBackend();
});

const rng = new Rng(11);
const examples = 6;
const width = 9;
const table = { g: Float32Array.from({ length: examples * width }, () => rng.normal() * 2), width };
// rows 5, 0, 3; targets 4, 4, 1; negatives 4 (a target again), 0, 7, 2
const batch = { rows: Int32Array.of(5, 0, 3), cols: Int32Array.of(4, 4, 1, 4, 0, 7, 2) };
const B = batch.rows.length;
const N = batch.cols.length - B;

/** The loss with plain tfjs ops: z [B, 1 + N] (own positive, then negatives), mean of logsumexp(z) - z[:, 0]. */
function referenceLoss(zOf: (r: number, c: number, at: number) => tf.Scalar): tf.Scalar {
  const rowsZ = Array.from(batch.rows, (_, r) => tf.stack([zOf(r, batch.cols[r], r), ...Array.from({ length: N }, (_, j) => zOf(r, batch.cols[B + j], B + j))]));
  const z = tf.stack(rowsZ) as tf.Tensor2D;
  return tf.mean(tf.sub(tf.logSumExp(z, 1), z.slice([0, 0], [B, 1]).reshape([B]))) as tf.Scalar;
}

/** x[i] as a differentiable scalar (wasm has no gather gradient). */
const pick = (x: tf.Tensor, i: number, n: number) => tf.sum(tf.mul(x.reshape([n]), tf.oneHot(tf.tensor1d([i], 'int32'), n).reshape([n]))) as tf.Scalar;

const close = (got: ArrayLike<number>, want: ArrayLike<number>, digits = 5) => {
  expect(got.length).toBe(want.length);
  Array.from(got).forEach((x, i) => expect(x).toBeCloseTo(want[i], digits));
};

describe('fusedAffineLoss (+Bias over frozen logits)', () => {
  it.each([
    ['b', true, false],
    ['gW', false, true],
    ['gW+b', true, true],
  ] as const)('%s: loss and gradients equal the same loss in tfjs ops', (_kind, withBias, withScale) => {
    const bias: tf.Variable | undefined = withBias ? tf.variable(tf.tensor1d(Array.from({ length: width }, () => rng.normal()))) : undefined;
    const scale: tf.Variable | undefined = withScale ? tf.variable(tf.tensor1d(Array.from({ length: width }, () => 0.5 + rng.float()))) : undefined;
    const vars = [bias, scale].filter((v): v is tf.Variable => v !== undefined);
    const got = tf.variableGrads(() => fusedAffineLoss(table, batch, bias, scale), vars);
    const want = tf.variableGrads(
      () =>
        referenceLoss((r, c) => {
          let z: tf.Scalar = tf.scalar(table.g[batch.rows[r] * width + c]);
          if (bias) z = tf.add(z, pick(bias, c, width));
          if (scale) z = tf.mul(z, pick(scale, c, width));
          return z;
        }),
      vars,
    );
    expect(got.value.dataSync()[0]).toBeCloseTo(want.value.dataSync()[0], 5);
    for (const v of vars) close(got.grads[v.name].dataSync(), want.grads[v.name].dataSync());
    // the target column 4 is also a negative: it gets gradient from both roles
    if (bias) expect(Math.abs(got.grads[bias.name].dataSync()[4])).toBeGreaterThan(1e-3);
  });
});

describe('fusedGatedLoss (+RecSys over frozen logits)', () => {
  it('loss and gradients to h and the gate logit equal the same loss in tfjs ops', () => {
    const h = tf.tensor2d(Float32Array.from({ length: B * (B + N) }, () => rng.normal() * 3), [B, B + N]);
    const c = tf.variable(tf.scalar(0.7));
    const [gotH, gotC] = tf.grads((hh: tf.Tensor, cc: tf.Tensor) => fusedGatedLoss(table, batch, hh as tf.Tensor2D, cc as tf.Variable))([h, c]);
    const gotLoss = fusedGatedLoss(table, batch, h, c).dataSync()[0];
    const ref = (hh: tf.Tensor, cc: tf.Tensor) => {
      const s = tf.sigmoid(cc);
      return referenceLoss((r, col, at) => tf.add(tf.mul(s, table.g[batch.rows[r] * width + col]), tf.mul(tf.sub(1, s), pick(hh, r * (B + N) + at, B * (B + N)))) as tf.Scalar);
    };
    const [wantH, wantC] = tf.grads(ref)([h, c]);
    expect(gotLoss).toBeCloseTo(ref(h, c).dataSync()[0], 5);
    close(gotH.dataSync(), wantH.dataSync());
    expect(gotC.dataSync()[0]).toBeCloseTo(wantC.dataSync()[0], 5);
    // the other rows' positives never enter a row's loss
    expect(gotH.dataSync()[0 * (B + N) + 1]).toBe(0);
  });

  it('training a FISM-gated model fused gives the same run as the unfused loop', async () => {
    const n = 8;
    const d = 4;
    const data = new Rng(3);
    const set: AdaptExamples = {
      targets: Int32Array.from({ length: 10 }, () => data.int(n)),
      histories: Array.from({ length: 10 }, () => Int32Array.from({ length: 1 + data.int(3) }, () => data.int(n))),
      queries: Float32Array.from({ length: 10 * d }, () => data.normal()),
      dim: d,
    };
    const V = Float32Array.from({ length: n * d }, () => data.normal());
    const run = async (fused: boolean) => {
      const model = new GatedModel(new FixedItemIndex(V, n, d), new RecSysGate(new FismNet({ nItems: n, dim: 3, padRow: true, seed: 2 })));
      const plain: AdaptModel = Object.assign(Object.create(Object.getPrototypeOf(model) as object) as object, model, { frozenLoss: undefined }) as AdaptModel;
      const r = await trainAdapt(fused ? model : plain, set, undefined, { epochs: 3, batchSize: 4, negatives: 5, learningRate: 0.05, evalAtStart: false, seed: 1 });
      return { losses: r.log.map((l) => l.loss), gate: model.gate.gateValue() };
    };
    const fused = await run(true);
    const plain = await run(false);
    expect(fused.gate).not.toBeCloseTo(0.5, 3);
    close(fused.losses, plain.losses);
    expect(fused.gate).toBeCloseTo(plain.gate, 5);
  });
});

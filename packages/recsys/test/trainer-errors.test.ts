import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, LmrecError, Rng, tf } from '@lmrec/core';
import { InteractionSampler, MfBpr, Trainer, type Sampler, type Trainable } from '../src/index.js';
import { plantedSplit } from './helpers.js';

beforeAll(async () => {
  await initBackend();
});

/** Rejects with an LmrecError; returns it. */
async function failure(p: Promise<unknown>): Promise<LmrecError> {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(LmrecError);
    return error as LmrecError;
  }
  throw new Error('expected a rejection');
}

/** n batches of one sample each. */
function steps(n: number): Sampler<number> {
  return {
    size: () => n,
    *batches() {
      for (let i = 0; i < n; i++) yield { batch: i, size: 1 };
    },
  };
}

/** loss(w) built by `f`, one scalar weight starting at w0. */
function scalarModel(w0: number, f: (w: tf.Tensor) => tf.Tensor, inputs?: Trainable<number>['inputs']): Trainable<number> & { w: tf.Variable } {
  const w = tf.variable(tf.scalar(w0));
  return { name: 'toy', w, trainableVariables: () => [w], loss: () => f(w) as tf.Scalar, state: () => ({ w }), loadState: (s) => w.assign(s.w as tf.Scalar), inputs };
}

describe('training errors say what went wrong', () => {
  const split = plantedSplit({ users: 20, items: 30 });

  it('an epoch with zero optimisation steps (batch larger than the data, last batch dropped) is an error naming both sizes', async () => {
    const model = new MfBpr({ epochs: 3, batchSize: 4096, evalEvery: 0 });
    const e = await failure(model.fit(split, { sampler: new InteractionSampler(split.train, { dropLast: true }) }));
    expect(e.code).toBe('E_CONFIG');
    expect(e.message).toContain('no optimisation step');
    expect(e.message).toContain('4096');
    expect(e.message).toContain(String(split.train.nnz));
    expect(e.field).toBe('batchSize');
    expect(e.hint).toContain(`batchSize <= ${split.train.nnz}`);
  });

  it('a sampler that yields no batch at all fails after its first epoch', async () => {
    const empty: Sampler<number> = { size: () => 5, *batches() {} };
    const e = await failure(new Trainer({ epochs: 2, evalEvery: 0 }).train({ model: scalarModel(1, (w) => tf.square(w)), sampler: empty }));
    expect(e.message).toMatch(/epoch 1 would run no optimisation step/);
  });

  it('a non-numeric learning rate is a config error on the lr field, not a NaN loss', async () => {
    const model = new MfBpr({ epochs: 1, batchSize: 64, evalEvery: 0, lr: 'fast' as unknown as number });
    const e = await failure(model.fit(split));
    expect(e.code).toBe('E_CONFIG');
    expect(e.field).toBe('lr');
    expect(e.message).toContain('"fast"');
    expect(e.message).not.toMatch(/NaN/);
  });

  it('a NaN in a frozen input is named (input, row, column) before training', async () => {
    const data = new Float32Array(12).fill(1);
    data[7] = NaN;
    const e = await failure(
      new Trainer({ epochs: 1, evalEvery: 0 }).train({ model: scalarModel(1, (w) => tf.square(w), () => ({ 'context vectors': { data, rowLength: 4 } })), sampler: steps(3) }),
    );
    expect(e.code).toBe('E_INPUT');
    expect(e.message).toContain('"context vectors"');
    expect(e.message).toContain('row 1, column 3');
  });

  it('a loss that is not finite at the very first step blames the inputs; one that turns non-finite later is divergence', async () => {
    // log(w) at w = -1: NaN before any update
    const bad = await failure(new Trainer({ epochs: 1, evalEvery: 0 }).train({ model: scalarModel(-1, (w) => tf.log(w)), sampler: steps(3) }));
    expect(bad.code).toBe('E_INPUT');
    expect(bad.message).toContain('first step, before any update');
    expect(bad.hint).toMatch(/learning rate will not help/);
    // w^2 from w = 1: finite (1), then Adam moves w by ~lr = 1e20 and (1e20)^2 overflows float32
    const diverged = await failure(new Trainer({ epochs: 1, evalEvery: 0, optimizer: { lr: 1e20 } }).train({ model: scalarModel(1, (w) => tf.square(w)), sampler: steps(3) }));
    expect(diverged.code).toBe('E_DIVERGED');
    expect(diverged.message).toContain('was finite (last 1.0000)');
    expect(diverged.message).toContain('became Infinity at epoch 1, step 2');
    expect(diverged.hint).toContain('lower the learning rate (now 100000000000000000000)');
  });
});

describe('the optimiser config', () => {
  it('rejects out-of-range values by field and fills the documented AdamW weight decay', async () => {
    const { checkOptimizerConfig, ADAMW_WEIGHT_DECAY } = await import('../src/index.js');
    expect(checkOptimizerConfig({ name: 'adamw' }).weightDecay).toBe(ADAMW_WEIGHT_DECAY);
    expect(ADAMW_WEIGHT_DECAY).toBe(0.01);
    expect(checkOptimizerConfig({ name: 'adam' }).weightDecay).toBe(0);
    for (const [config, field] of [[{ lr: -1 }, 'lr'], [{ beta1: 1 }, 'beta1'], [{ clipNorm: Number.NaN }, 'clipNorm'], [{ weightDecay: '0.1' }, 'weightDecay']] as const) {
      let error: unknown;
      try {
        checkOptimizerConfig(config as never);
      } catch (e) {
        error = e;
      }
      expect((error as LmrecError).field).toBe(field);
    }
  });

  it('parameter groups: each variable steps with its group lr (torch param_groups)', async () => {
    const { AdamOptimizer } = await import('../src/index.js');
    const a = tf.variable(tf.scalar(1));
    const b = tf.variable(tf.scalar(1));
    const opt = new AdamOptimizer([a, b], { name: 'adamw', lr: 0.1, weightDecay: 0.5 }, [{ variables: [b], lr: 0.01 }]);
    opt.apply([tf.scalar(2), tf.scalar(2)]);
    // first step: p * (1 - lr wd) - lr * sign(g)
    expect(a.dataSync()[0]).toBeCloseTo(1 * (1 - 0.05) - 0.1, 6);
    expect(b.dataSync()[0]).toBeCloseTo(1 * (1 - 0.005) - 0.01, 6);
    opt.dispose();
    tf.dispose([a, b]);
  });
});

describe('Rng state capture', () => {
  it('restores a stream mid-way, the spare normal draw included', async () => {
    const { captureRng, restoreRng } = await import('../src/index.js');
    const rng = new Rng(42);
    rng.int(10);
    rng.normal(); // leaves a spare
    const state = JSON.parse(JSON.stringify(captureRng(rng)));
    const first = [rng.normal(), rng.float(), rng.int(1000), rng.normal()];
    const other = new Rng(7);
    restoreRng(other, state);
    expect([other.normal(), other.float(), other.int(1000), other.normal()]).toEqual(first);
  });
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CapturingProgress, initBackend, Rng, tf } from '@lmrec/core';
import { AdamOptimizer, InteractionSampler, UserSampler, MfBpr, type EpochRecord } from '../src/index.js';
import { plantedSplit, bruteEvaluator } from './helpers.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'recsys-trainer-'));
  dirs.push(d);
  return d;
};

beforeAll(async () => {
  await initBackend();
});
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Plain-JS torch-style Adam / AdamW with clip-by-global-norm, the reference for the tfjs one. */
function referenceSteps(p0: number[], grad: (p: number[]) => number[], steps: number, o: { lr: number; wd: number; decoupled: boolean; clip?: number }) {
  const p = [...p0];
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  for (let t = 1; t <= steps; t++) {
    let g = grad(p);
    const norm = Math.sqrt(g.reduce((s, x) => s + x * x, 0));
    if (o.clip !== undefined && norm > o.clip) g = g.map((x) => (x * o.clip!) / (norm + 1e-6));
    if (!o.decoupled && o.wd) g = g.map((x, i) => x + o.wd * p[i]);
    for (let i = 0; i < p.length; i++) {
      if (o.decoupled) p[i] *= 1 - o.lr * o.wd;
      m[i] = 0.9 * m[i] + 0.1 * g[i];
      v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
      const denom = Math.sqrt(v[i]) / Math.sqrt(1 - 0.999 ** t) + 1e-8;
      p[i] -= (o.lr / (1 - 0.9 ** t)) * (m[i] / denom);
    }
  }
  return p;
}

describe('AdamOptimizer', () => {
  // loss = sum((p - c)^2 * w), gradient 2 w (p - c)
  const c = [1, -2, 3];
  const w = [1, 5, 0.5];
  const grad = (p: number[]) => p.map((x, i) => 2 * w[i] * (x - c[i]));
  for (const o of [
    { name: 'adam' as const, lr: 0.1, wd: 0, decoupled: false },
    { name: 'adam' as const, lr: 0.05, wd: 0.1, decoupled: false },
    { name: 'adamw' as const, lr: 0.1, wd: 0.2, decoupled: true },
    { name: 'adamw' as const, lr: 0.1, wd: 0.01, decoupled: true, clip: 1 },
  ]) {
    it(`${o.name} wd=${o.wd} clip=${o.clip ?? '-'} matches the reference update`, () => {
      const p = tf.variable(tf.tensor1d([0, 0, 0]));
      const opt = new AdamOptimizer([p], { name: o.name, lr: o.lr, weightDecay: o.wd, clipNorm: o.clip });
      for (let s = 0; s < 25; s++) {
        tf.tidy(() => {
          const { grads } = tf.variableGrads(() => tf.sum(tf.mul(tf.square(tf.sub(p, tf.tensor1d(c))), tf.tensor1d(w))) as tf.Scalar, [p]);
          opt.apply([grads[p.name]]);
        });
      }
      const expected = referenceSteps([0, 0, 0], grad, 25, o);
      const got = Array.from(p.dataSync());
      got.forEach((x, i) => expect(x).toBeCloseTo(expected[i], 4));
      expect(opt.step).toBe(25);
      p.dispose();
      opt.dispose();
    });
  }
});

describe('samplers', () => {
  const split = plantedSplit({ users: 30, items: 40 });
  it('user-mod sampling: user k mod nActive, positives from train, negatives outside train', () => {
    const s = new InteractionSampler(split.train, { negatives: 16, shuffle: false });
    const batches = [...s.batches(new Rng(1), 50)];
    expect(batches.reduce((a, b) => a + b.size, 0)).toBe(split.train.nnz);
    let k = 0;
    for (const { batch } of batches) {
      for (let r = 0; r < batch.users.length; r++, k++) {
        const u = batch.users[r];
        expect(u).toBe(k % 30); // every planted user has train items
        expect(split.train.has(u, batch.pos[r])).toBe(true);
        for (let j = 0; j < 16; j++) expect(split.train.has(u, batch.neg[r * 16 + j])).toBe(false);
      }
    }
  });
  it('without replacement gives distinct negatives; same seed, same batches', () => {
    const s = new InteractionSampler(split.train, { negatives: 10, replacement: false, mode: 'interaction' });
    const a = [...s.batches(new Rng(3), 64)];
    const b = [...s.batches(new Rng(3), 64)];
    expect(a).toEqual(b);
    const pairs = new Set<string>();
    for (const { batch } of a) {
      for (let r = 0; r < batch.users.length; r++) {
        pairs.add(`${batch.users[r]}:${batch.pos[r]}`);
        expect(new Set(batch.neg.subarray(r * 10, r * 10 + 10)).size).toBe(10);
      }
    }
    expect(pairs.size).toBe(split.train.nnz); // each interaction exactly once
  });
  it('user sampler covers each user once and drops the tail on request', () => {
    const s = new UserSampler(split.train, { dropLast: true });
    const users = [...s.batches(new Rng(5), 8)].flatMap((b) => [...b.batch.users]);
    expect(users.length).toBe(24);
    expect(new Set(users).size).toBe(24);
  });
});

describe('Trainer', () => {
  const split = plantedSplit({ users: 60, items: 40 });
  const config = { epochs: 6, batchSize: 64, lr: 1e-2, evalEvery: 2 };
  const weights = (m: MfBpr) => Object.fromEntries(Object.entries(m.state()).map(([k, t]) => [k, Array.from(t.dataSync())]));
  const strip = (log: EpochRecord[]) =>
    log.map((r) => {
      const rest: Partial<EpochRecord> = { ...r };
      delete rest.seconds;
      delete rest.samplesPerSecond;
      delete rest.evalSeconds;
      return rest;
    });

  it('resumes after an interruption exactly as an uninterrupted run', async () => {
    const full = new MfBpr(config);
    const fullLog = join(tmp(), 'log.jsonl');
    const a = await full.fit(split, { evaluator: bruteEvaluator, metric: 'recall@10', logPath: fullLog, checkpointDir: tmp() });

    const ckpt = tmp();
    const logPath = join(tmp(), 'log.jsonl');
    const first = new MfBpr(config);
    const r1 = await first.fit(split, { evaluator: bruteEvaluator, metric: 'recall@10', checkpointDir: ckpt, logPath, onEpochEnd: (r) => r.epoch < 3 });
    expect(r1.interrupted).toBe(true);
    expect(r1.epochs).toBe(3);
    first.dispose();

    const second = new MfBpr(config);
    const b = await second.fit(split, { evaluator: bruteEvaluator, metric: 'recall@10', checkpointDir: ckpt, logPath });
    expect(b.interrupted).toBe(false);
    expect(weights(second)).toEqual(weights(full));
    expect(strip(b.log)).toEqual(strip(a.log));
    expect(b.bestEpoch).toBe(a.bestEpoch);
    const lines = readFileSync(logPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(strip(lines)).toEqual(strip(a.log));
    expect(lines.length).toBe(6);
    expect(readFileSync(fullLog, 'utf8')).toContain('"valid"');
  });

  it('same seed gives identical weights, another seed different ones', async () => {
    const a = new MfBpr({ ...config, epochs: 2 });
    const b = new MfBpr({ ...config, epochs: 2 });
    const c = new MfBpr({ ...config, epochs: 2 });
    await a.fit(split, { evaluator: bruteEvaluator, seed: 11 });
    await b.fit(split, { evaluator: bruteEvaluator, seed: 11 });
    await c.fit(split, { evaluator: bruteEvaluator, seed: 12 });
    expect(weights(a)).toEqual(weights(b));
    expect(weights(a)).not.toEqual(weights(c));
  });

  it('early stopping with patience and keep-best restore the best evaluated weights', async () => {
    const script = [0.1, 0.3, 0.2, 0.25, 0.2, 0.9];
    let calls = 0;
    const evaluator = () => ({ n: 1, metrics: { 'recall@20': { mean: script[calls++], se: 0 } } });
    const snapshots: Record<string, number[]>[] = [];
    const m = new MfBpr({ epochs: 6, batchSize: 64, evalEvery: 1, patience: 2 });
    const r = await m.fit(split, { evaluator, onEpochEnd: () => void snapshots.push(weights(m)) });
    expect(r.stoppedEarly).toBe(true);
    expect(r.epochs).toBe(4); // evals 3 and 4 fail to beat 0.3
    expect(r.bestEpoch).toBe(1);
    expect(r.bestMetrics).toEqual({ 'recall@20': 0.3 });
    expect(weights(m)).toEqual(snapshots[1]);
    expect(weights(m)).not.toEqual(snapshots[3]);
    expect(r.log.map((l) => l.best ?? false)).toEqual([true, true, false, false]);
  });

  it('an epoch does not grow tf.memory().numTensors; progress counts every sample', async () => {
    const counts: number[] = [];
    const progress = new CapturingProgress();
    const m = new MfBpr({ epochs: 4, batchSize: 50, evalEvery: 2 });
    await m.fit(split, { evaluator: bruteEvaluator, progress, onEpochEnd: () => void counts.push(tf.memory().numTensors) });
    expect(new Set(counts).size).toBe(1);
    const ends = progress.events.filter((e) => e.type === 'end' && e.snapshot.unit === 'samples');
    expect(ends.length).toBe(4);
    for (const e of ends) if (e.type === 'end') {
      expect(e.snapshot.done).toBe(split.train.nnz);
      expect(e.snapshot.rate).toBeGreaterThan(0);
    }
    expect(progress.events.some((e) => e.type === 'log' && /samples\/s/.test(e.message))).toBe(true);
  });
});

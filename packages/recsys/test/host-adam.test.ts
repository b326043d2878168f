import { initBackend, kernelSettings, kernelStats, Rng, tf } from '@lmrec/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdamOptimizer, assignHost, hostValues, type OptimizerConfig, type ParameterGroup } from '../src/index.js';

beforeAll(async () => {
  await initBackend();
});

// small tables take the JS loop; BIG ones (>= 4096 floats) core's SIMD kernel
const SMALL = [[6, 4], [5]] as const;
const BIG = [[300, 64], [5]] as const;
let shapes: readonly (readonly number[])[] = SMALL;
const randn = (rng: Rng, n: number, s: number) => Float32Array.from({ length: n }, () => rng.normal() * s);

/** Gradient `step` of variable `i` (undefined for variable 1 on every third step: a variable without gradient). */
function gradAt(step: number, i: number, size: number, scale: number): Float32Array | undefined {
  if (i === 1 && step % 3 === 2) return undefined;
  return randn(new Rng(1000 * step + i), size, scale);
}

function makeVars(): tf.Variable[] {
  const rng = new Rng(7);
  return shapes.map((s) => tf.variable(tf.tensor(randn(rng, s.reduce((a, b) => a * b, 1), 0.5), [...s])));
}

/** Runs `steps` updates from `from` on the tfjs path or the host path; returns the optimiser and its variables. */
function run(path: 'tfjs' | 'host', config: OptimizerConfig, steps: number, groupsOf?: (v: tf.Variable[]) => ParameterGroup[], scale = 1) {
  const vars = makeVars();
  const opt = new AdamOptimizer(vars, config, groupsOf?.(vars) ?? []);
  for (let s = 0; s < steps; s++) step(path, opt, vars, s, scale);
  return { opt, vars };
}

function step(path: 'tfjs' | 'host', opt: AdamOptimizer, vars: tf.Variable[], s: number, scale: number): void {
  const grads = vars.map((v, i) => gradAt(s, i, v.size, scale));
  if (path === 'host') opt.applyHost(vars.map(hostValues), grads);
  else tf.tidy(() => opt.apply(grads.map((g, i) => (g ? tf.tensor(g, vars[i].shape) : undefined))));
}

const values = (ts: readonly tf.Tensor[]) => ts.map((t) => Array.from(t.dataSync()));
const moments = (opt: AdamOptimizer) => values(Object.values(opt.state().tensors));

/** |a - b| < tol max(1, |b|): float32 ops against float64 ones differ by a few ulps of the weight. */
function expectClose(a: number[][], b: number[][], tol: number): void {
  expect(a.length).toBe(b.length);
  a.forEach((row, i) => row.forEach((x, j) => expect(Math.abs(x - b[i][j]), `[${i}][${j}] ${x} vs ${b[i][j]}`).toBeLessThan(tol * Math.max(1, Math.abs(b[i][j])))));
}

describe('AdamOptimizer.applyHost (the fused host update) against the tfjs ops of apply', () => {
  const cases: { label: string; config: OptimizerConfig; groups?: (v: tf.Variable[]) => ParameterGroup[]; scale?: number }[] = [
    { label: 'adam', config: { name: 'adam', lr: 0.05 } },
    { label: 'adam with L2 weight decay', config: { name: 'adam', lr: 0.05, weightDecay: 0.3 } },
    { label: 'adamw (decoupled decay)', config: { name: 'adamw', lr: 0.05, weightDecay: 0.2 } },
    { label: 'adamw, clipped (norm well above clipNorm)', config: { name: 'adamw', lr: 0.02, weightDecay: 0.1, clipNorm: 1 }, scale: 3 },
    { label: 'adam with L2, clipped', config: { name: 'adam', lr: 0.02, weightDecay: 0.1, clipNorm: 0.5, beta1: 0.8, beta2: 0.99, epsilon: 1e-6 } },
    { label: 'parameter groups', config: { name: 'adamw', lr: 0.05, weightDecay: 0.1 }, groups: (v) => [{ variables: [v[1]], lr: 0.2, weightDecay: 0.5 }] },
  ];
  for (const c of [...cases, ...cases.slice(1, 4).map((x) => ({ ...x, label: `${x.label}, big tables`, big: true }))]) {
    it(`${c.label}: same weights, moments and norm after 12 steps (1e-6)`, () => {
      shapes = 'big' in c ? BIG : SMALL;
      const a = run('tfjs', c.config, 12, c.groups, c.scale);
      const calls = kernelStats().kernelCalls;
      const b = run('host', c.config, 12, c.groups, c.scale);
      if ('big' in c && kernelSettings().wasm && kernelSettings().wasmAvailable) expect(kernelStats().kernelCalls).toBeGreaterThan(calls);
      expectClose(values(b.vars), values(a.vars), 1e-6);
      expectClose(moments(b.opt), moments(a.opt), 1e-6);
      if (c.config.clipNorm) {
        expect(b.opt.lastGradNorm).toBeGreaterThan(c.config.clipNorm * 2); // the clip was active
        expect(b.opt.lastGradNorm).toBeCloseTo(a.opt.lastGradNorm, 4);
      }
      // the weights moved: a no-op update would fail here
      expect(Math.abs(values(b.vars)[0][0] - values(makeVars())[0][0])).toBeGreaterThan(1e-3);
      for (const r of [a, b]) r.opt.dispose();
      shapes = SMALL;
    });
  }

  it('matches a hand-computed first adamw step with clipping', () => {
    const p = tf.variable(tf.tensor1d([1, -2]));
    const opt = new AdamOptimizer([p], { name: 'adamw', lr: 0.1, weightDecay: 0.5, clipNorm: 1 });
    opt.applyHost([hostValues(p)], [Float32Array.of(3, 4)]); // norm 5 -> g = (3, 4) / 5.000001
    // first step: m / (sqrt(v) + eps) after bias correction is g / (|g| + eps) = sign(g)
    const want = [1 * (1 - 0.05) - 0.1, -2 * (1 - 0.05) - 0.1];
    Array.from(p.dataSync()).forEach((x, i) => expect(x).toBeCloseTo(want[i], 6));
    expect(opt.lastGradNorm).toBeCloseTo(5, 6);
    const m = Array.from(opt.state().tensors['m.0'].dataSync());
    expect(m[1]).toBeCloseTo(0.1 * (4 / (5 + 1e-6)), 7);
    opt.dispose();
  });
});

describe('host optimiser state: save / restore and switching paths', () => {
  const config: OptimizerConfig = { name: 'adamw', lr: 0.05, weightDecay: 0.1, clipNorm: 2 };

  it.each([['small', SMALL], ['big', BIG]] as const)('a run resumed from state() and the weights continues bit-identically (%s tables)', (_, tables) => {
    shapes = tables;
    const full = run('host', config, 10, undefined, 2);
    const half = run('host', config, 5, undefined, 2);
    const saved = { weights: values(half.vars), moments: Object.fromEntries(Object.entries(half.opt.state().tensors).map(([k, t]) => [k, t.clone()])), step: half.opt.step };
    const vars = makeVars();
    vars.forEach((v, i) => v.assign(tf.tensor(saved.weights[i], v.shape)));
    const resumed = new AdamOptimizer(vars, config);
    resumed.loadState(saved.step, saved.moments);
    for (let s = 5; s < 10; s++) step('host', resumed, vars, s, 2);
    expect(values(vars)).toEqual(values(full.vars));
    expect(moments(resumed)).toEqual(moments(full.opt));
    expect(resumed.step).toBe(10);
    shapes = SMALL;
  });

  it('loadState replaces host moments (a restore mid-run is not ignored)', () => {
    const b = run('host', config, 4);
    const weights = values(b.vars);
    b.opt.loadState(0, Object.fromEntries(Object.entries(b.opt.state().tensors).map(([k, t]) => [k, tf.zerosLike(t)])));
    expect(moments(b.opt).flat().every((x) => x === 0)).toBe(true);
    // the next steps start from the loaded (zero) moments: a fresh optimiser on the same weights
    const vars = makeVars();
    vars.forEach((v, i) => v.assign(tf.tensor(weights[i], v.shape)));
    const fresh = new AdamOptimizer(vars, config);
    for (let s = 0; s < 3; s++) [b, { opt: fresh, vars }].forEach((r) => step('host', r.opt, r.vars, s, 1));
    expect(values(b.vars)).toEqual(values(vars));
    expect(moments(b.opt)).toEqual(moments(fresh));
  });

  it('host steps then tfjs steps (and back) give the tfjs-only run (1e-6)', () => {
    const a = run('tfjs', config, 9, undefined, 2);
    const vars = makeVars();
    const opt = new AdamOptimizer(vars, config);
    for (let s = 0; s < 9; s++) step(s < 3 || s >= 6 ? 'host' : 'tfjs', opt, vars, s, 2);
    expectClose(values(vars), values(a.vars), 1e-6);
    expectClose(moments(opt), moments(a.opt), 1e-6);
  });
});

describe('hostValues', () => {
  it('keeps its copy between host assigns and re-reads after any other assign', () => {
    const v = tf.variable(tf.tensor1d([1, 2, 3]));
    const h = hostValues(v);
    h[0] = 10;
    assignHost(v, h);
    expect(hostValues(v)).toBe(h);
    expect(Array.from(v.dataSync())).toEqual([10, 2, 3]);
    v.assign(tf.tensor1d([4, 5, 6]));
    const fresh = hostValues(v);
    expect(fresh).not.toBe(h);
    expect(Array.from(fresh)).toEqual([4, 5, 6]);
    v.dispose();
  });
});

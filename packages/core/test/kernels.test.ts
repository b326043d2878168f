import { describe, expect, it } from 'vitest';
import { kernelStats, Rng, setKernelSettings } from '../src/index.js';
import { allocate, f32View, getKernels, i32View, runChunks, runParts, settingsFromEnv } from '../src/kernels/wasm/runtime.js';

describe('filter_gt kernel', () => {
  it('lists, per row and in order, the columns above the row threshold; a NaN threshold lists none', () => {
    const kern = getKernels();
    expect(kern).toBeDefined();
    const rng = new Rng(3);
    // 37 columns: two SIMD groups of 16 and a ragged 5; ld 48 so bytes past n hold decoys above every threshold
    const [rows, n, ld] = [9, 37, 48];
    const [pS, pT, pC, pN] = allocate(kern!, [4 * rows * ld, 4 * rows, 4 * rows * ld, 4 * rows])!;
    const scores = f32View(kern!, pS, rows * ld);
    for (let r = 0; r < rows; r++) for (let j = 0; j < ld; j++) scores[r * ld + j] = j < n ? rng.int(7) - 3 : 99;
    scores[2 * ld + 4] = NaN;
    scores[3 * ld + 20] = Infinity;
    const thr = f32View(kern!, pT, rows);
    const want = [2, -1, 0, 3, 5, -4, NaN, 1, 2];
    thr.set(want);
    // rows 0-4 on one part, 5-8 on another (a worker when there is one)
    runParts(kern!, 'filter_gt', [[pS, ld * 4, pT, pC, ld * 4, pN, n, 0, 5], [pS, ld * 4, pT, pC, ld * 4, pN, n, 5, rows]]);
    const cand = i32View(kern!, pC, rows * ld);
    const counts = i32View(kern!, pN, rows);
    for (let r = 0; r < rows; r++) {
      const expected: number[] = [];
      for (let j = 0; j < n; j++) if (scores[r * ld + j] > want[r]) expected.push(j);
      expect(Array.from(cand.subarray(r * ld, r * ld + counts[r]))).toEqual(expected);
    }
    expect(counts[6]).toBe(0);
    expect(counts[4]).toBe(0);
    expect(Array.from(cand.subarray(3 * ld, 3 * ld + counts[3]))).toEqual([20]);
  });
});

describe('runChunks', () => {
  it('runs every chunk exactly once over the main thread and a worker, whatever the chunk sizes', () => {
    setKernelSettings({ threads: 2 });
    const kern = getKernels()!;
    const rng = new Rng(5);
    // 41 chunks of 1-40 vectors of 4 floats: add_scale adds y to acc once per run of a chunk
    const sizes = Array.from({ length: 41 }, () => 1 + rng.int(40));
    const bounds = [0];
    for (const s of sizes) bounds.push(bounds[bounds.length - 1] + 16 * s);
    const floats = bounds[bounds.length - 1] / 4;
    const [pAcc, pY, pSc] = allocate(kern, [4 * floats, 4 * floats, 4])!;
    f32View(kern, pAcc, floats).fill(0);
    const y = f32View(kern, pY, floats);
    for (let i = 0; i < floats; i++) y[i] = i + 1;
    f32View(kern, pSc, 1)[0] = 1;
    const before = kernelStats();
    runChunks(kern, 'add_scale', [pAcc, pY, pSc], bounds, 2);
    const after = kernelStats();
    expect(Array.from(f32View(kern, pAcc, floats))).toEqual(Array.from({ length: floats }, (_, i) => i + 1));
    expect(after.kernelCalls - before.kernelCalls).toBe(41);
    expect(after.workerJobs - before.workerJobs).toBe(1);
    expect(() => runChunks(kern, 'add_scale', [pAcc, pY, pSc], Array.from({ length: 1100 }, (_, i) => 16 * i), 2)).toThrow(/1099 chunks, at most 1024/);
  });
});

describe('kernel settings from the environment', () => {
  it('takes LMREC_THREADS and LMREC_KERNELS and refuses anything else by name', () => {
    expect(settingsFromEnv({ LMREC_THREADS: '3', LMREC_KERNELS: 'js' })).toEqual({ threads: 3, wasm: false });
    expect(settingsFromEnv({ LMREC_KERNELS: 'wasm' }).wasm).toBe(true);
    expect(settingsFromEnv({}).threads).toBeGreaterThanOrEqual(1);
    for (const bad of ['abc', '0', '2.5', '17', '-1']) expect(() => settingsFromEnv({ LMREC_THREADS: bad })).toThrow(`LMREC_THREADS must be a whole number from 1 to 16, got "${bad}"`);
    expect(() => settingsFromEnv({ LMREC_KERNELS: 'wsam' })).toThrow('LMREC_KERNELS must be "wasm" or "js", got "wsam"');
  });
});

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { activeBackend, initBackend, resetBackendChoice, tf, wasmBinaryFolder, type BackendCandidate } from '../src/index.js';

const require = createRequire(import.meta.url);
const installed = (name: string) => {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
};

describe('initBackend', () => {
  const realFetch = globalThis.fetch;
  afterAll(() => {
    globalThis.fetch = realFetch;
  });

  it('falls back to wasm with a reason per native package, loading the binaries from disk', async () => {
    // the premise: the native packages are not installed on this machine
    expect(installed('@tensorflow/tfjs-node')).toBe(false);
    expect(installed('@tensorflow/tfjs-node-gpu')).toBe(false);
    const fetched: string[] = [];
    globalThis.fetch = (async (url: unknown) => {
      fetched.push(String(url));
      throw new Error('no network in this test');
    }) as typeof fetch;
    const choice = await initBackend({ env: {} });
    expect(choice).toEqual({
      name: 'wasm',
      backend: 'wasm',
      skipped: [
        { name: 'tensorflow-gpu', reason: 'not installed' },
        { name: 'tensorflow', reason: 'not installed' },
      ],
    });
    expect(fetched).toEqual([]);
    expect(tf.getBackend()).toBe('wasm');
    expect(existsSync(join(wasmBinaryFolder(), 'tfjs-backend-wasm-simd.wasm'))).toBe(true);
    // the backend computes
    const y = tf.tidy(() => tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2])).dataSync());
    expect(Array.from(y)).toEqual([19, 22, 43, 50]);
    expect(await initBackend({ env: {} })).toBe(choice); // cached
    expect(activeBackend()).toBe(choice);
  });

  it('LMREC_BACKEND forces a backend, and back', async () => {
    const cpu = await initBackend({ env: { LMREC_BACKEND: 'cpu' } });
    expect(cpu).toMatchObject({ name: 'cpu', backend: 'cpu', skipped: [] });
    expect(tf.getBackend()).toBe('cpu');
    const wasm = await initBackend({ prefer: 'wasm' });
    expect(wasm.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('a forced backend that cannot start is an error with its reason, not a silent fallback', async () => {
    await expect(initBackend({ env: { LMREC_BACKEND: 'tensorflow' } })).rejects.toMatchObject({
      code: 'E_BACKEND',
      message: expect.stringMatching(/no tensor backend could start: tensorflow: not installed/),
    });
    await expect(initBackend({ env: { LMREC_BACKEND: 'tpu' } })).rejects.toThrow(/unknown backend "tpu".*one of tensorflow-gpu, tensorflow, wasm, cpu/);
  });

  it('reports why each better candidate was skipped (custom candidates)', async () => {
    resetBackendChoice();
    const candidates: BackendCandidate[] = [
      { name: 'broken', backend: 'wasm', register: async () => { throw new Error('libcuda.so.1: cannot open shared object file\nmore detail'); } },
      { name: 'no-gpu', backend: 'cpu', register: async () => undefined, verify: async () => 'no GPU visible' },
      { name: 'plain', backend: 'cpu', register: async () => undefined },
    ];
    const choice = await initBackend({ candidates, env: {} });
    expect(choice).toEqual({
      name: 'plain',
      backend: 'cpu',
      skipped: [
        { name: 'broken', reason: 'libcuda.so.1: cannot open shared object file' },
        { name: 'no-gpu', reason: 'no GPU visible' },
      ],
    });
    resetBackendChoice();
    await expect(initBackend({ candidates: candidates.slice(0, 2), env: {} })).rejects.toThrow(/broken: libcuda.*; no-gpu: no GPU visible/);
  });
});

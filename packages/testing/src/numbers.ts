import { expect } from 'vitest';

/** Largest |a[i] - b[i]| (lengths must match). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length, 'lengths differ').toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return Number.isNaN(m) ? Infinity : m;
}

export function allFinite(a: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

/** Row-major [m, k] x [k, n] in plain JavaScript (float64 accumulation). */
export function matMulJs(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += a[i * k + t] * b[t * n + j];
      out[i * n + j] = s;
    }
  }
  return out;
}

/** Expects an LmrecError (by name and code, so another copy of @lmrec/core counts too). */
export function expectLmrecError(error: unknown, code?: string | RegExp): asserts error is Error & { code: string; field?: string; file?: string } {
  expect(error, 'expected an LmrecError, got no error').toBeDefined();
  expect((error as Error).name, `expected an LmrecError, got ${String(error)}`).toBe('LmrecError');
  const actual = (error as { code?: unknown }).code;
  expect(typeof actual).toBe('string');
  if (code instanceof RegExp) expect(actual).toMatch(code);
  else if (code !== undefined) expect(actual).toBe(code);
}

/** The error a function throws or a promise rejects with (undefined if none). */
export async function caught(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

import { ADAM_SCALARS } from './wasm/programs.js';
import { allocate, f32View, getKernels, partsFor, runParts } from './wasm/runtime.js';

/** The scalars of one Adam / AdamW update (see `adamWasm`). */
export type AdamScalars = Record<(typeof ADAM_SCALARS)[number], number>;

/** Below this many floats the copies into wasm memory cost more than the SIMD loop saves. */
const MIN_FLOATS = 1 << 12;
/** Each thread gets at least this many floats. */
const MIN_FLOATS_PER_THREAD = 1 << 16;

/**
 * One Adam / AdamW update of p, m, v in place (g the gradient), on the
 * WebAssembly SIMD kernel in float32 lane ops, split over the kernel
 * threads: g' = g scale + l2 p; p' = p decay; m = b1 m + c1 g'; v = b2 v +
 * c2 g'^2; p = p' - m / (sqrt(v) / bc2Sqrt + eps) stepSize. Returns false
 * (arrays untouched) when the kernel is unavailable or the arrays are small.
 */
export function adamWasm(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, s: AdamScalars): boolean {
  const n = p.length;
  if (n < MIN_FLOATS || g.length !== n || m.length !== n || v.length !== n) return false;
  const k = getKernels();
  if (!k) return false;
  const bytes = Math.ceil(n / 4) * 16;
  const ptrs = allocate(k, [bytes, bytes, bytes, bytes, 4 * ADAM_SCALARS.length]);
  if (!ptrs) return false;
  const [pp, pg, pm, pv, ps] = ptrs;
  f32View(k, pp, n).set(p);
  f32View(k, pg, n).set(g);
  f32View(k, pm, n).set(m);
  f32View(k, pv, n).set(v);
  f32View(k, ps, ADAM_SCALARS.length).set(ADAM_SCALARS.map((name) => s[name]));
  const parts = partsFor(n, MIN_FLOATS_PER_THREAD);
  // part boundaries on 16-byte lanes
  const cut = (q: number) => Math.round((bytes / 16) * (q / parts)) * 16;
  runParts(k, 'adam', Array.from({ length: parts }, (_, q) => [pp, pg, pm, pv, ps, cut(q), cut(q + 1)]));
  p.set(f32View(k, pp, n));
  m.set(f32View(k, pm, n));
  v.set(f32View(k, pv, n));
  return true;
}

// The one build shape of every published lmrec library: ESM + CJS + d.ts from
// src/index.ts, for Node 20. `shims` gives the CJS build import.meta.url
// (used to find files shipped inside a package, e.g. wasm binaries, data).
export function library(extra = {}) {
  return {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    shims: true,
    ...extra,
  };
}

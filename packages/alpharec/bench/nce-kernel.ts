/**
 * CPU time of one InfoNCE step with the 'dense' and the 'sparse' kernel (the
 * latter on core's WebAssembly pair kernels, and in plain loops with them off)
 * over catalogue sizes (B 4096, K 256, d 64, uniform negatives): where the
 * 'auto' threshold DENSE_CELLS_PER_SAMPLE comes from.
 *   LMREC_THREADS=1 node --conditions=source --import tsx bench/nce-kernel.ts ['[[nUsers, nItems], ...]']
 */
import { initBackend, kernelSettings, setKernelSettings } from '@lmrec/core';
import { DENSE_CELLS_PER_SAMPLE, infoNce } from '../src/infonce.js';
await initBackend();
const d = 64, B = 4096, K = 256;
const sizes = process.argv[2] ? JSON.parse(process.argv[2]) : [[938, 1447], [1500, 6900], [3000, 6900], [8000, 6900], [20000, 12000]];
for (const [nU, nI] of sizes as [number, number][]) {
  const U = Float32Array.from({ length: nU * d }, () => Math.random() - 0.5);
  const I = Float32Array.from({ length: nI * d }, () => Math.random() - 0.5);
  const users = Int32Array.from({ length: B }, (_, k) => k % nU);
  const batch = { users, pos: Int32Array.from({ length: B }, () => (Math.random() * nI) | 0), neg: Int32Array.from({ length: B * K }, () => (Math.random() * nI) | 0), negatives: K };
  const res: string[] = [];
  const wasm = kernelSettings().wasm;
  for (const [label, kernel, onWasm] of [['dense', 'dense', wasm], ['sparse', 'sparse', wasm], ['sparse (loops)', 'sparse', false]] as const) {
    setKernelSettings({ wasm: onWasm });
    infoNce(U, I, d, batch, 0.15, kernel);
    const c0 = process.cpuUsage();
    for (let r = 0; r < 3; r++) infoNce(U, I, d, batch, 0.15, kernel);
    const c = process.cpuUsage(c0);
    res.push(`${label} ${((c.user + c.system) / 3000).toFixed(0)} cpu-ms`);
  }
  setKernelSettings({ wasm });
  const nu = Math.min(nU, B);
  console.log(nU, nI, 'cells', nu * nI, 'threshold', DENSE_CELLS_PER_SAMPLE * B * (K + 1), res.join(', '));
}

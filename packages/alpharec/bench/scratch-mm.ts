import { tf, initBackend } from '@lmrec/core';
const c = await initBackend({ prefer: 'wasm' });
console.log(c.name, tf.getBackend());
function time(name: string, flops: number, f: () => tf.Tensor) {
  for (let i = 0; i < 2; i++) f().dispose();
  const t0 = performance.now(); const reps = 5;
  for (let i = 0; i < reps; i++) { const r = f(); r.dataSync(); r.dispose(); }
  const ms = (performance.now() - t0) / reps;
  console.log(name, ms.toFixed(1), 'ms', (flops / ms / 1e6).toFixed(1), 'GFLOP/s');
}
const N = 2385, d = 256, h = 128;
const X = tf.randomUniform([N, d]); const XT = tf.randomUniform([d, N]); const W = tf.randomUniform([d, h]); const dH = tf.randomUniform([N, h]);
time('X@W', 2*N*d*h, () => tf.matMul(X, W));
time('XT@dH', 2*N*d*h, () => tf.matMul(XT, dH));
time('X^T@dH (transA)', 2*N*d*h, () => tf.matMul(X, dH, true, false));
const B = 4096, nI = 1447;
const U = tf.randomUniform([B, 64]); const IT = tf.randomUniform([64, nI]); const I = tf.randomUniform([nI, 64]);
time('U@IT', 2*B*64*nI, () => tf.matMul(U, IT));
time('U@I^T transB', 2*B*64*nI, () => tf.matMul(U, I, false, true));
const H2 = 18432; const W1 = tf.randomUniform([d, H2]);
time('X@W1 big', 2*N*d*H2, () => tf.matMul(X, W1));
// JS dot loops
const a = new Float32Array(B*257*64); const u = new Float32Array(B*64);
let t0 = performance.now(); let s = 0;
for (let b = 0; b < B; b++) for (let k = 0; k < 257; k++) { let acc = 0; const o = (b*257+k)*64, uo = b*64; for (let c = 0; c < 64; c++) acc += a[o+c]*u[uo+c]; s += acc; }
console.log('js dots', (performance.now()-t0).toFixed(1), 'ms', s);

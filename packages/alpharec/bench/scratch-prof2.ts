const B = 4096, K = 256, nu = 938, ni = 1447;
const S = new Float32Array(nu * ni).map(() => Math.random());
const lu = Int32Array.from({ length: B }, () => Math.floor(Math.random() * nu));
const cols = Int32Array.from({ length: B * (K + 1) }, () => Math.floor(Math.random() * ni));
const z = new Float64Array(K + 1);
for (let rep = 0; rep < 3; rep++) {
  let t = performance.now(); let total = 0;
  const dS = new Float32Array(nu * ni);
  for (let b = 0; b < B; b++) {
    let max = -Infinity;
    const u = lu[b];
    for (let c = 0; c <= K; c++) { z[c] = S[u * ni + cols[b * (K + 1) + c]] / 0.15; if (z[c] > max) max = z[c]; }
    let sum = 0;
    for (let c = 0; c <= K; c++) sum += Math.exp(z[c] - max);
    const lse = max + Math.log(sum);
    total += lse - z[0];
    for (let c = 0; c <= K; c++) dS[u * ni + cols[b * (K + 1) + c]] += Math.exp(z[c] - lse) - (c === 0 ? 1 : 0);
  }
  console.log('loop', performance.now() - t, total);
}

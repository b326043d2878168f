// Plain-JS (float64) re-implementations of the contrastive CF losses, written
// from the papers' formulas without tfjs or the package's kernels: the tests
// compare the models' taped losses and gradients against these.

export type Rows = number[][];

/** Dense D^-1/2 A D^-1/2 of the bipartite graph of `edges` ([user, item] pairs), users first. */
export function normAdjDense(nU: number, nI: number, edges: [number, number][]): Rows {
  const n = nU + nI;
  const a: Rows = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const deg = new Array<number>(n).fill(0);
  for (const [u, i] of edges) {
    deg[u]++;
    deg[nU + i]++;
  }
  for (const [u, i] of edges) {
    const w = 1 / Math.sqrt(deg[u] * deg[nU + i]);
    a[u][nU + i] = w;
    a[nU + i][u] = w;
  }
  return a;
}

export function mul(a: Rows, x: Rows): Rows {
  return a.map((row) => x[0].map((_, t) => row.reduce((s, w, j) => s + w * x[j][t], 0)));
}

/** Layers 0..L; `adj` is one matrix or one per layer; `perturb` changes each propagated layer. */
export function layersJs(adj: Rows | Rows[], e0: Rows, L: number, perturb?: (x: Rows, k: number) => Rows): Rows[] {
  const out = [e0];
  for (let k = 0; k < L; k++) {
    const a = (Array.isArray(adj[0][0]) ? (adj as Rows[])[k] : adj) as Rows;
    const next = mul(a, out[k]);
    out.push(perturb ? perturb(next, k) : next);
  }
  return out;
}

export function meanOf(xs: Rows[]): Rows {
  return xs[0].map((row, r) => row.map((_, t) => xs.reduce((s, x) => s + x[r][t], 0) / xs.length));
}

const dot = (a: number[], b: number[]) => a.reduce((s, v, t) => s + v * b[t], 0);
const unit = (a: number[]) => {
  const n = Math.max(Math.hypot(...a), 1e-12);
  return a.map((v) => v / n);
};
export const cosine = (a: number[], b: number[]) => dot(unit(a), unit(b));

/** mean_r -log softmax_s(cos(a_r, b_s) / tau)[r]. */
export function infoNceJs(a: Rows, b: Rows, tau: number): number {
  let total = 0;
  for (let r = 0; r < a.length; r++) {
    const logits = b.map((bs) => cosine(a[r], bs) / tau);
    total += Math.log(logits.reduce((s, l) => s + Math.exp(l), 0)) - logits[r];
  }
  return total / a.length;
}

/** BPR with LightGCN's L2 on the batch's ego rows: mean softplus(s- - s+) + reg/2 * sum |ego|^2 / n. */
export function bprJs(final: Rows, ego: Rows, nU: number, users: number[], pos: number[], neg: number[], reg: number): number {
  let rank = 0;
  let l2 = 0;
  users.forEach((u, r) => {
    const p = nU + pos[r];
    const q = nU + neg[r];
    rank += Math.log1p(Math.exp(dot(final[u], final[q]) - dot(final[u], final[p])));
    for (const row of [u, p, q]) l2 += dot(ego[row], ego[row]);
  });
  return rank / users.length + (reg / 2) * (l2 / users.length);
}

export const distinct = (ids: number[], shift = 0) => [...new Set(ids.map((i) => i + shift))];
export const pick = (x: Rows, ids: number[]) => ids.map((i) => x[i]);

export function toRows(data: ArrayLike<number>, dim: number): Rows {
  return Array.from({ length: data.length / dim }, (_, r) => Array.from({ length: dim }, (_, t) => data[r * dim + t]));
}

/** Central finite differences of f at x (flat), every entry. */
export function numericGrad(f: (x: number[]) => number, x: number[], h = 1e-5): number[] {
  return x.map((_, k) => {
    const p = x.slice();
    const m = x.slice();
    p[k] += h;
    m[k] -= h;
    return (f(p) - f(m)) / (2 * h);
  });
}

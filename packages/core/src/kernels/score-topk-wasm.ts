import type { Csr } from './csr.js';
import { heapDrain, heapPush, heapReplaceRoot } from './heap.js';
import type { TopKResult } from './topk.js';
import { allocate, f32View, getKernels, partsFor, runParts, SCORE_R, SCORE_V, type WasmKernels } from './wasm/runtime.js';

/** Items per tile: dim x TILE floats of item vectors stay in L2 while a user block passes. */
const TILE = 2048;
/** User groups (of SCORE_R users) per block; the score scratch is BLOCK_GROUPS * SCORE_R x TILE floats. */
const BLOCK_GROUPS = 16;
const MIN_WORK = 1 << 16;
const MIN_WORK_PER_THREAD = 1 << 21;
const SCAN_GROUP = 16;

export interface ScoreTopKArgs {
  users: Float32Array;
  itemsT: Float32Array;
  dim: number;
  nItems: number;
  k: number;
  rows: number;
  exclude?: Csr;
  rowIds?: Int32Array;
}

/**
 * Fused score + mask + top-K on the WebAssembly SIMD kernel: users in blocks
 * of 64, items in tiles of 2048, the score tiles split over the kernel
 * threads; each user's running top-K only looks at scores above its current
 * K-th best (found 16 at a time by a SIMD scan). Memory: the item matrix
 * copy plus one 64 x 2048 score tile, whatever the number of users.
 * Returns undefined when the kernel cannot run this problem.
 */
export function scoreTopKWasm(args: ScoreTopKArgs): TopKResult | undefined {
  const { users, itemsT, dim, nItems, k, rows } = args;
  // The item matrix is copied per call: worth it from a few users up.
  if (k <= 0 || rows < 4 || rows * nItems * dim < MIN_WORK) return undefined;
  const kern = getKernels();
  if (!kern) return undefined;
  const R = SCORE_R;
  const nPad = Math.ceil(nItems / SCAN_GROUP) * SCAN_GROUP;
  const blockUsers = BLOCK_GROUPS * R;
  const ptrs = allocate(kern, [4 * dim * nPad, 4 * blockUsers * dim, 4 * blockUsers * TILE]);
  if (!ptrs) return undefined;
  const [pItems, pUsers, pScores] = ptrs;
  const items = f32View(kern, pItems, dim * nPad);
  for (let c = 0; c < dim; c++) items.set(itemsT.subarray(c * nItems, (c + 1) * nItems), c * nPad);
  const uT = f32View(kern, pUsers, blockUsers * dim);
  const scores = f32View(kern, pScores, blockUsers * TILE);

  const ids = new Int32Array(rows * k).fill(-1);
  const vals = new Float32Array(rows * k).fill(-Infinity);
  const heapS = new Float32Array(blockUsers * k);
  const heapI = new Int32Array(blockUsers * k);
  const sizes = new Int32Array(blockUsers);
  const maskPos = new Int32Array(blockUsers);
  const maskEnd = new Int32Array(blockUsers);
  const mask = args.exclude?.indices;

  for (let b0 = 0; b0 < rows; b0 += blockUsers) {
    const ub = Math.min(blockUsers, rows - b0);
    const groups = Math.ceil(ub / R);
    packUsers(users, b0, ub, dim, R, uT);
    sizes.fill(0);
    for (let u = 0; u < ub; u++) {
      if (!args.exclude) continue;
      const row = args.rowIds ? args.rowIds[b0 + u] : b0 + u;
      maskPos[u] = args.exclude.indptr[row];
      maskEnd[u] = args.exclude.indptr[row + 1];
    }
    for (let t0 = 0; t0 < nItems; t0 += TILE) {
      const tl = Math.min(TILE, nItems - t0);
      const tlPad = Math.ceil(tl / (4 * SCORE_V)) * 4 * SCORE_V;
      const parts = partsFor(groups * tl * dim * R, MIN_WORK_PER_THREAD);
      const cuts = Array.from({ length: parts + 1 }, (_, p) => Math.round((groups * p) / parts));
      runParts(
        kern,
        `score_r${R}v${SCORE_V}`,
        cuts.slice(1).map((g1, p) => [pUsers, pItems, nPad * 4, t0 * 4, tlPad * 4, dim, pScores, TILE * 4, cuts[p], g1]),
      );
      for (let u = 0; u < ub; u++) {
        const state = { heapS, heapI, sizes, maskPos, maskEnd, mask, k };
        selectRow(kern, scores, pScores, u, u * TILE, tl, t0, state);
      }
    }
    for (let u = 0; u < ub; u++) heapDrain(heapS, heapI, u * k, sizes[u], ids, vals, (b0 + u) * k);
  }
  return { ids, scores: vals, k };
}

/** uT[g][c][r] = users[b0 + g R + r][c], zero for the padding users of the last group. */
function packUsers(users: Float32Array, b0: number, ub: number, dim: number, R: number, uT: Float32Array): void {
  const groups = Math.ceil(ub / R);
  uT.fill(0, 0, groups * dim * R);
  for (let u = 0; u < ub; u++) {
    const g = Math.floor(u / R);
    const r = u - g * R;
    const src = (b0 + u) * dim;
    const dst = g * dim * R + r;
    for (let c = 0; c < dim; c++) uT[dst + c * R] = users[src + c];
  }
}

interface SelectState {
  heapS: Float32Array;
  heapI: Int32Array;
  sizes: Int32Array;
  maskPos: Int32Array;
  maskEnd: Int32Array;
  mask?: Int32Array;
  k: number;
}

/** Feeds one user's scores for items [t0, t0 + tl) into its heap, skipping masked ids. */
function selectRow(kern: WasmKernels, scores: Float32Array, pScores: number, u: number, base: number, tl: number, t0: number, st: SelectState): void {
  const { heapS, heapI, mask, k } = st;
  const off = u * k;
  let size = st.sizes[u];
  let mp = st.maskPos[u];
  const me = st.maskEnd[u];
  const masked = (id: number): boolean => {
    if (!mask) return false;
    while (mp < me && mask[mp] < id) mp++;
    return mp < me && mask[mp] === id;
  };
  let j = 0;
  while (size < k && j < tl) {
    const id = t0 + j;
    let s = scores[base + j++];
    if (masked(id)) continue;
    if (s !== s) s = -Infinity;
    size = heapPush(heapS, heapI, off, size, s, id);
  }
  if (size === k) {
    // Later ids lose ties, so only scores strictly above the current worst can enter.
    let thr = heapS[off];
    const scan = kern.fns.scan_gt;
    const rowPtr = pScores + base * 4;
    while (j < tl) {
      const g = scan(rowPtr, j, tl, thr) as number;
      if (g >= tl) break;
      const end = Math.min(g + SCAN_GROUP, tl);
      for (let q = g; q < end; q++) {
        const s = scores[base + q];
        if (s > thr && !masked(t0 + q)) {
          heapReplaceRoot(heapS, heapI, off, size, s, t0 + q);
          thr = heapS[off];
        }
      }
      j = end;
    }
  }
  st.sizes[u] = size;
  st.maskPos[u] = mp;
}

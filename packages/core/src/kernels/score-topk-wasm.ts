import type { Csr } from './csr.js';
import { heapDrain, heapPush, heapReplaceRoot } from './heap.js';
import type { TopKResult } from './topk.js';
import { allocate, f32View, getKernels, i32View, partsFor, runParts, SCORE_R, SCORE_V, type WasmKernels } from './wasm/runtime.js';

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
 * of 64, items in tiles of 2048, each tile's scores and the scan for scores
 * above each user's current K-th best split over the kernel threads, so the
 * main thread's heaps only see the few candidates. Memory: the item matrix
 * (repacked in panels) plus one 64 x 2048 score tile and candidate list,
 * whatever the number of users.
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
  const W = 4 * SCORE_V;
  const blockUsers = BLOCK_GROUPS * R;
  const ptrs = allocate(kern, [4 * dim * nPad, 4 * blockUsers * dim, 4 * blockUsers * TILE, 4 * blockUsers * TILE, 4 * blockUsers, 4 * blockUsers]);
  if (!ptrs) return undefined;
  const [pItems, pUsers, pScores, pCand, pThr, pCounts] = ptrs;
  packPanels(itemsT, nItems, dim, W, f32View(kern, pItems, dim * nPad));
  const uT = f32View(kern, pUsers, blockUsers * dim);
  const buffers: TileBuffers = {
    pItems, pUsers, pScores, pCand, pThr, pCounts,
    scores: f32View(kern, pScores, blockUsers * TILE),
    cand: i32View(kern, pCand, blockUsers * TILE),
    thr: f32View(kern, pThr, blockUsers),
    counts: i32View(kern, pCounts, blockUsers),
  };

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
    packUsers(users, b0, ub, dim, R, uT);
    sizes.fill(0);
    for (let u = 0; u < ub; u++) {
      if (!args.exclude) continue;
      const row = args.rowIds ? args.rowIds[b0 + u] : b0 + u;
      maskPos[u] = args.exclude.indptr[row];
      maskEnd[u] = args.exclude.indptr[row + 1];
    }
    const state = { heapS, heapI, sizes, maskPos, maskEnd, mask, k };
    for (let t0 = 0; t0 < nItems; t0 += TILE) scoreTile(kern, buffers, state, { ub, dim, t0, tl: Math.min(TILE, nItems - t0) });
    for (let u = 0; u < ub; u++) heapDrain(heapS, heapI, u * k, sizes[u], ids, vals, (b0 + u) * k);
  }
  return { ids, scores: vals, k };
}

/** Kernel buffers: addresses in wasm memory and views of the score tile, candidate lists, thresholds and counts. */
interface TileBuffers {
  pItems: number;
  pUsers: number;
  pScores: number;
  pCand: number;
  pThr: number;
  pCounts: number;
  scores: Float32Array;
  cand: Int32Array;
  thr: Float32Array;
  counts: Int32Array;
}

/**
 * One item tile [t0, t0 + tl) for the packed user block: the threads score
 * their user groups, then list, for each full heap, the columns above its
 * K-th best; the main thread feeds those (or, for heaps still filling, the
 * whole row) to the heaps.
 */
function scoreTile(kern: WasmKernels, buf: TileBuffers, st: SelectState, at: { ub: number; dim: number; t0: number; tl: number }): void {
  const { ub, dim, t0, tl } = at;
  const R = SCORE_R;
  const groups = Math.ceil(ub / R);
  const tlPad = Math.ceil(tl / (4 * SCORE_V)) * 4 * SCORE_V;
  const parts = partsFor(groups * tl * dim * R, MIN_WORK_PER_THREAD);
  const cuts = Array.from({ length: parts + 1 }, (_, p) => Math.round((groups * p) / parts));
  const ranges = cuts.slice(1).map((g1, p) => [cuts[p], g1]);
  runParts(kern, `score_r${R}v${SCORE_V}`, ranges.map(([g0, g1]) => [buf.pUsers, buf.pItems, t0 * 4, tlPad * 4, dim, buf.pScores, TILE * 4, g0, g1]));
  for (let u = 0; u < ub; u++) buf.thr[u] = st.sizes[u] === st.k ? st.heapS[u * st.k] : NaN;
  const row = (g: number) => Math.min(ub, g * R);
  runParts(kern, 'filter_gt', ranges.map(([g0, g1]) => [buf.pScores, TILE * 4, buf.pThr, buf.pCand, TILE * 4, buf.pCounts, tl, row(g0), row(g1)]));
  for (let u = 0; u < ub; u++) {
    if (st.sizes[u] === st.k) takeCandidates(buf.scores, buf.cand, buf.counts[u], u, u * TILE, t0, st);
    else selectRow(kern, buf.scores, buf.pScores, u, u * TILE, tl, t0, st);
  }
}

/** panels[j / W][c][j % W] = itemsT[c][j], zero past nItems (the kernel's item layout). */
function packPanels(itemsT: Float32Array, nItems: number, dim: number, W: number, panels: Float32Array): void {
  panels.fill(0);
  for (let c = 0; c < dim; c++) {
    const row = c * nItems;
    for (let j = 0; j < nItems; j++) panels[(j - (j % W)) * dim + c * W + (j % W)] = itemsT[row + j];
  }
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

/** Feeds a full heap the listed columns of its row (those above its K-th best when listed), skipping masked ids. */
function takeCandidates(scores: Float32Array, cand: Int32Array, n: number, u: number, base: number, t0: number, st: SelectState): void {
  const { heapS, heapI, k } = st;
  const off = u * k;
  let thr = heapS[off];
  const mask = new MaskCursor(st, u);
  for (let i = 0; i < n; i++) {
    const q = cand[base + i];
    const s = scores[base + q];
    if (s > thr && !mask.has(t0 + q)) {
      heapReplaceRoot(heapS, heapI, off, k, s, t0 + q);
      thr = heapS[off];
    }
  }
  st.maskPos[u] = mask.pos;
}

/** Feeds one user's scores for items [t0, t0 + tl) into its heap, skipping masked ids. */
function selectRow(kern: WasmKernels, scores: Float32Array, pScores: number, u: number, base: number, tl: number, t0: number, st: SelectState): void {
  const { heapS, heapI, k } = st;
  const off = u * k;
  let size = st.sizes[u];
  const mask = new MaskCursor(st, u);
  const masked = (id: number) => mask.has(id);
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
  st.maskPos[u] = mask.pos;
}

/** A user's position in its sorted mask row, moved along increasing item ids. */
class MaskCursor {
  pos: number;
  private readonly end: number;
  private readonly ids?: Int32Array;
  constructor(st: SelectState, u: number) {
    this.pos = st.maskPos[u];
    this.end = st.maskEnd[u];
    this.ids = st.mask;
  }
  has(id: number): boolean {
    const ids = this.ids;
    if (!ids) return false;
    while (this.pos < this.end && ids[this.pos] < id) this.pos++;
    return this.pos < this.end && ids[this.pos] === id;
  }
}

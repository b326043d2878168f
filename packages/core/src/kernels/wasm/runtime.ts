import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { LmrecError } from '../../errors.js';
import { assemble } from './assembler.js';
import { adamProgram, addScaleProgram, spmmProgram } from './programs.js';
import { pairDotsProgram, pairGradColsProgram, pairGradRowsProgram } from './pair-programs.js';
import { filterProgram, scanProgram, scoreProgram } from './score-programs.js';
import { gemmProgram } from './gemm-program.js';
import { tripletDotsProgram, tripletGradProgram } from './triplet-programs.js';
import { SPIN_POLLS, WORKER_SOURCE } from './worker-source.js';

const PAGE = 65536;
/** Control slots (64 bytes per worker) live below the data arena. */
const SLOT_BYTES = 64;
const ARENA_START = 4096;
/** 2 GiB: every pointer stays a positive i32. */
const MAX_PAGES = 32768;

type KernelFn = (...args: number[]) => number | void;

/** The slice of the WebAssembly JS API used here (the Node typings do not declare it). */
interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}
interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export const SPMM_WIDTHS = [8, 4, 1] as const;
export const SCORE_R = 4;
export const SCORE_V = 2;

export interface WasmKernels {
  memory: WasmMemory;
  module: object;
  names: string[];
  fns: Record<string, KernelFn>;
}

export interface KernelSettings {
  /** Use the WebAssembly SIMD kernels (default true; env LMREC_KERNELS=js turns them off). */
  wasm: boolean;
  /** Threads for the big kernels, main thread included (env LMREC_THREADS; default: all cores). */
  threads: number;
}

const MAX_THREADS = 16;

/** LMREC_KERNELS and LMREC_THREADS, refused when set to anything but a documented value (a typo must not run a different setup). */
export function settingsFromEnv(env: NodeJS.ProcessEnv): KernelSettings {
  const kernels = env.LMREC_KERNELS;
  if (kernels !== undefined && kernels !== 'js' && kernels !== 'wasm') {
    throw new LmrecError('E_CONFIG', `LMREC_KERNELS must be "wasm" or "js", got "${kernels}"`, { field: 'LMREC_KERNELS' });
  }
  const raw = env.LMREC_THREADS;
  const threads = raw === undefined || raw === '' ? Math.min(MAX_THREADS, availableParallelism()) : Number(raw);
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new LmrecError('E_CONFIG', `LMREC_THREADS must be a whole number from 1 to ${MAX_THREADS}, got "${raw}"`, { field: 'LMREC_THREADS' });
  }
  return { wasm: kernels !== 'js', threads };
}

const settings: KernelSettings = settingsFromEnv(process.env);

let kernels: WasmKernels | null | undefined;
let loadError: string | undefined;
const workers: { worker: Worker; slot: number }[] = [];
let workersBroken = false;
const stats = { kernelCalls: 0, workerJobs: 0 };

/** Counters of kernel runs (parts run on the main thread or a worker, and parts run by workers). */
export function kernelStats(): { kernelCalls: number; workerJobs: number } {
  return { ...stats };
}

/** Change kernel settings at run time (tests, benchmarks). */
export function setKernelSettings(next: Partial<KernelSettings>): KernelSettings {
  if (next.threads !== undefined) settings.threads = Math.max(1, Math.floor(next.threads));
  if (next.wasm !== undefined) settings.wasm = next.wasm;
  return { ...settings };
}

export function kernelSettings(): KernelSettings & { wasmAvailable: boolean; reason?: string } {
  const k = getKernels(true);
  return { ...settings, wasmAvailable: k !== undefined, reason: loadError };
}

/** The compiled kernel module, or undefined when disabled or unsupported. */
export function getKernels(ignoreSetting = false): WasmKernels | undefined {
  if (!settings.wasm && !ignoreSetting) return undefined;
  if (kernels === undefined) {
    try {
      const funcs = [...SPMM_WIDTHS.map(spmmProgram), scoreProgram(SCORE_R, SCORE_V), gemmProgram(SCORE_R, SCORE_V), scanProgram(), filterProgram(), adamProgram(), tripletDotsProgram(), tripletGradProgram(), addScaleProgram(), pairDotsProgram(), pairGradRowsProgram(), pairGradColsProgram()];
      const memory = new WA.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
      const module = new WA.Module(assemble(funcs, { initial: 1, maximum: MAX_PAGES }));
      const instance = new WA.Instance(module, { env: { memory } });
      const names = funcs.map((f) => f.name);
      const fns: Record<string, KernelFn> = {};
      for (const name of names) fns[name] = instance.exports[name] as KernelFn;
      kernels = { memory, module, names, fns };
    } catch (error) {
      loadError = `WebAssembly SIMD kernels unavailable: ${(error as Error).message}`;
      kernels = null;
    }
  }
  return kernels ?? undefined;
}

/**
 * Lays out regions of the given byte sizes (64-byte aligned) in the arena,
 * growing the memory when needed; returns their addresses, or undefined when
 * they do not fit in 2 GiB. The arena is reused by the next call.
 */
export function allocate(k: WasmKernels, sizes: readonly number[]): number[] | undefined {
  const ptrs: number[] = [];
  let end = ARENA_START;
  for (const size of sizes) {
    ptrs.push(end);
    end += Math.ceil(size / 64) * 64 + 64;
  }
  const pages = Math.ceil(end / PAGE);
  if (pages > MAX_PAGES) return undefined;
  const have = k.memory.buffer.byteLength / PAGE;
  if (pages > have) k.memory.grow(pages - have);
  return ptrs;
}

export function f32View(k: WasmKernels, ptr: number, length: number): Float32Array {
  return new Float32Array(k.memory.buffer, ptr, length);
}

export function i32View(k: WasmKernels, ptr: number, length: number): Int32Array {
  return new Int32Array(k.memory.buffer, ptr, length);
}

function ensureWorkers(k: WasmKernels, n: number): number {
  if (workersBroken) return 0;
  while (workers.length < n && workers.length < (ARENA_START / SLOT_BYTES) - 1) {
    const slot = (workers.length + 1) * SLOT_BYTES;
    new Int32Array(k.memory.buffer, slot, 16).fill(0);
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module: k.module, memory: k.memory, slot, names: k.names, sched } });
    worker.unref();
    worker.on('error', () => {
      workersBroken = true;
    });
    workers.push({ worker, slot });
  }
  return Math.min(n, workers.length);
}

/** Chunk table shared with the workers: [next chunk to claim, bound 0, bound 1, ...]. */
const MAX_CHUNKS = 1024;
const sched = new Int32Array(new SharedArrayBuffer(4 * (MAX_CHUNKS + 2)));

/**
 * Runs `fn` once per argument list, spread over the main thread and the
 * kernel workers, and returns when all are done (blocking with Atomics.wait,
 * so callers stay synchronous). A worker that has not picked its job up
 * within 20 s (it never started) is bypassed: the main thread runs that part itself.
 */
export function runParts(k: WasmKernels, fn: string, parts: readonly number[][]): void {
  const main = k.fns[fn];
  const nWorkers = parts.length > 1 ? ensureWorkers(k, parts.length - 1) : 0;
  const posted = Array.from({ length: nWorkers }, (_, w) => post(k, w, fn, parts[w + 1], 0));
  stats.kernelCalls += parts.length;
  main(...parts[0]);
  for (let p = nWorkers + 1; p < parts.length; p++) main(...parts[p]);
  awaitWorkers(posted, fn, (w) => main(...parts[w + 1]));
}

/**
 * Runs `fn(...fixed, bounds[c], bounds[c + 1])` for every chunk c, the main
 * thread and up to threads - 1 workers each claiming the next unclaimed
 * chunk until none is left. Where rows cost unevenly (a graph's user rows
 * gather from a small item table, its item rows from a large user table) an
 * even split leaves one thread waiting for the other; claiming balances it.
 */
export function runChunks(k: WasmKernels, fn: string, fixed: readonly number[], bounds: readonly number[], threads: number): void {
  const n = bounds.length - 1;
  if (n > MAX_CHUNKS) throw new Error(`runChunks: ${n} chunks, at most ${MAX_CHUNKS}`);
  sched.set(bounds, 1);
  Atomics.store(sched, 0, 0);
  const nWorkers = threads > 1 && n > 1 ? ensureWorkers(k, Math.min(threads, n) - 1) : 0;
  const posted = Array.from({ length: nWorkers }, (_, w) => post(k, w, fn, fixed, n));
  stats.kernelCalls += n;
  const main = k.fns[fn];
  for (let c = Atomics.add(sched, 0, 1); c < n; c = Atomics.add(sched, 0, 1)) main(...fixed, sched[1 + c], sched[2 + c]);
  // a worker bypassed here claimed nothing: the main thread ran every chunk left
  awaitWorkers(posted, fn, () => undefined);
}

/** Posts a job to worker w's control slot: [state, function, args..., chunks, fixed args]. */
function post(k: WasmKernels, w: number, fn: string, args: readonly number[], chunks: number): Int32Array {
  const ctl = new Int32Array(k.memory.buffer, workers[w].slot, 16);
  ctl[1] = k.names.indexOf(fn);
  args.forEach((v, i) => (ctl[2 + i] = v));
  ctl[14] = chunks;
  ctl[15] = args.length;
  Atomics.store(ctl, 0, 1);
  Atomics.notify(ctl, 0);
  stats.workerJobs++;
  return ctl;
}

/** Waits for the posted jobs (polling briefly, then sleeping); `bypass(w)` stands in for a worker that never started. */
function awaitWorkers(posted: Int32Array[], fn: string, bypass: (w: number) => void): void {
  let failed = false;
  posted.forEach((ctl, w) => {
    for (let spin = 0; spin < SPIN_POLLS && Atomics.load(ctl, 0) < 3; spin++);
    for (;;) {
      const s = Atomics.load(ctl, 0);
      if (s === 3 || s === 4) {
        failed ||= s === 4;
        break;
      }
      if (Atomics.wait(ctl, 0, s, 20_000) === 'timed-out' && Atomics.compareExchange(ctl, 0, 1, 0) === 1) {
        workersBroken = true;
        bypass(w);
        return;
      }
    }
    Atomics.store(ctl, 0, 0);
  });
  if (failed) throw new Error(`kernel worker failed in ${fn}`);
}

/** How many parts to split work of `units` into (one per thread, none for small work). */
export function partsFor(units: number, minUnitsPerPart: number): number {
  return Math.max(1, Math.min(settings.threads, Math.floor(units / minUnitsPerPart)));
}

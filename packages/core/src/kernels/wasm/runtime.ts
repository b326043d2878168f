import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { assemble } from './assembler.js';
import { adamProgram, addScaleProgram, spmmProgram } from './programs.js';
import { filterProgram, scanProgram, scoreProgram } from './score-programs.js';
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

const settings: KernelSettings = {
  wasm: process.env.LMREC_KERNELS !== 'js',
  threads: Math.max(1, Math.min(16, Number(process.env.LMREC_THREADS) || availableParallelism())),
};

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
      const funcs = [...SPMM_WIDTHS.map(spmmProgram), scoreProgram(SCORE_R, SCORE_V), scanProgram(), filterProgram(), adamProgram(), tripletDotsProgram(), tripletGradProgram(), addScaleProgram()];
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
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module: k.module, memory: k.memory, slot, names: k.names } });
    worker.unref();
    worker.on('error', () => {
      workersBroken = true;
    });
    workers.push({ worker, slot });
  }
  return Math.min(n, workers.length);
}

/**
 * Runs `fn` once per argument list, spread over the main thread and the
 * kernel workers, and returns when all are done (blocking with Atomics.wait,
 * so callers stay synchronous). A worker that has not picked its job up
 * within 20 s (it never started) is bypassed: the main thread runs that part itself.
 */
export function runParts(k: WasmKernels, fn: string, parts: readonly number[][]): void {
  const index = k.names.indexOf(fn);
  const main = k.fns[fn];
  const nWorkers = parts.length > 1 ? ensureWorkers(k, parts.length - 1) : 0;
  const posted: Int32Array[] = [];
  for (let w = 0; w < nWorkers; w++) {
    const ctl = new Int32Array(k.memory.buffer, workers[w].slot, 16);
    ctl[1] = index;
    parts[w + 1].forEach((v, i) => (ctl[2 + i] = v));
    Atomics.store(ctl, 0, 1);
    Atomics.notify(ctl, 0);
    posted.push(ctl);
  }
  stats.kernelCalls += parts.length;
  stats.workerJobs += nWorkers;
  main(...parts[0]);
  for (let p = nWorkers + 1; p < parts.length; p++) main(...parts[p]);
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
        main(...parts[w + 1]);
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

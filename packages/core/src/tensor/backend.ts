import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { LmrecError } from '../errors.js';
import { tf } from './tf.js';

/** One way to get a tfjs backend; a TensorBackend plugin supplies one of these. */
export interface BackendCandidate {
  /** Name users pass in LMREC_BACKEND, e.g. "tensorflow-gpu". */
  name: string;
  /** The tfjs backend name it registers. */
  backend: string;
  /** Import whatever registers the backend; throw (or reject) when unavailable. */
  register(): Promise<void>;
  /** Extra check after registration (e.g. a GPU is really visible). */
  verify?(): Promise<string | undefined>;
  /** Higher is tried first (lmrec's own: tensorflow-gpu 400, tensorflow 300, wasm 200, cpu 100). */
  priority?: number;
}

export interface BackendChoice {
  /** Candidate name that won, e.g. "wasm". */
  name: string;
  /** tfjs backend name now active. */
  backend: string;
  /** Why each better candidate was skipped. */
  skipped: { name: string; reason: string }[];
}

const importer = (specifier: string) => () => import(specifier).then(() => undefined);

/** lmrec's order of preference: CUDA, native CPU, wasm, plain JS. */
export const DEFAULT_BACKENDS: readonly BackendCandidate[] = [
  {
    name: 'tensorflow-gpu',
    backend: 'tensorflow',
    register: importer('@tensorflow/tfjs-node-gpu'),
    priority: 400,
  },
  { name: 'tensorflow', backend: 'tensorflow', register: importer('@tensorflow/tfjs-node'), priority: 300 },
  { name: 'wasm', backend: 'wasm', register: registerWasm, priority: 200 },
  { name: 'cpu', backend: 'cpu', register: async () => undefined, priority: 100 },
];

async function registerWasm(): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // Point tfjs at the .wasm files inside the installed package so they are
  // read from disk (fs.readFileSync) whatever entry point the bundler picked,
  // never fetched. In Node tfjs-backend-wasm runs XNNPACK single-threaded
  // (its WASM_HAS_MULTITHREAD_SUPPORT flag is false under Node), so
  // setThreadsCount would have no effect; lmrec's own kernels use the cores.
  const setWasmPaths = wasm.setWasmPaths ?? (wasm as unknown as { default: typeof wasm }).default?.setWasmPaths;
  setWasmPaths(`${wasmBinaryFolder()}/`);
}

/** Folder holding tfjs-backend-wasm's .wasm binaries in the installed package. */
export function wasmBinaryFolder(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'));
}

let active: BackendChoice | undefined;

export interface InitBackendOptions {
  /** Candidate name to force; defaults to env LMREC_BACKEND, then the best available. */
  prefer?: string;
  candidates?: readonly BackendCandidate[];
  env?: Record<string, string | undefined>;
}

/**
 * Picks and activates the best available backend. Safe to call repeatedly
 * (returns the first choice unless `prefer` changes it). The result says
 * which backend runs and why the better ones were skipped.
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendChoice> {
  const env = options.env ?? process.env;
  const prefer = options.prefer ?? env.LMREC_BACKEND;
  if (active && (!prefer || prefer === active.name)) return active;
  // Stable sort: candidates without a priority keep their given order.
  const candidates = [...(options.candidates ?? DEFAULT_BACKENDS)].sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0));
  if (prefer && !candidates.some((c) => c.name === prefer)) {
    throw new LmrecError('E_BACKEND', `unknown backend "${prefer}"`, {
      field: 'LMREC_BACKEND',
      hint: `one of ${candidates.map((c) => c.name).join(', ')}`,
    });
  }
  const skipped: { name: string; reason: string }[] = [];
  const ordered = prefer ? candidates.filter((c) => c.name === prefer) : candidates;
  for (const candidate of ordered) {
    try {
      await candidate.register();
      const ok = await tf.setBackend(candidate.backend);
      if (!ok) throw new Error(`tf.setBackend("${candidate.backend}") returned false`);
      await tf.ready();
      const problem = await candidate.verify?.();
      if (problem) throw new Error(problem);
      active = { name: candidate.name, backend: tf.getBackend(), skipped };
      return active;
    } catch (error) {
      skipped.push({ name: candidate.name, reason: describe(error) });
    }
  }
  throw new LmrecError('E_BACKEND', `no tensor backend could start: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`);
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/Cannot find (module|package)|ERR_MODULE_NOT_FOUND|Failed to (load url|resolve import)/.test(message)) return 'not installed';
  return message.split('\n')[0];
}

/** The backend chosen by initBackend, if any. */
export function activeBackend(): BackendChoice | undefined {
  return active;
}

/** Forget the choice (tests). */
export function resetBackendChoice(): void {
  active = undefined;
}

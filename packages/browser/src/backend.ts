import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type BackendName = 'webgl' | 'wasm' | 'cpu';

export interface BackendOptions {
  /** Force one backend; default: webgl when it renders float32, else wasm, else cpu. */
  backend?: BackendName;
  /**
   * Where the tfjs-backend-wasm .wasm files are served: a folder URL ending
   * in "/" or a map of file name -> URL (what a bundler's `?url` imports give).
   */
  wasmPaths?: string | Record<string, string>;
}

let configuredWasm = false;

/**
 * webgl where it computes in float32 (scores must match the CLI to 1e-4;
 * half-float webgl does not), otherwise wasm, otherwise plain JS.
 */
export async function chooseBackend(options: BackendOptions = {}): Promise<BackendName> {
  if (options.wasmPaths && !configuredWasm) {
    setWasmPaths(options.wasmPaths as string);
    configuredWasm = true;
  }
  const order: BackendName[] = options.backend ? [options.backend] : ['webgl', 'wasm', 'cpu'];
  for (const name of order) {
    if (await tryBackend(name)) return name;
  }
  throw new Error(`no tfjs backend could start (tried ${order.join(', ')})`);
}

async function tryBackend(name: BackendName): Promise<boolean> {
  try {
    if (tf.getBackend() === name) return true;
    if (!(await tf.setBackend(name))) return false;
    await tf.ready();
    if (name === 'webgl' && !tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED')) return false;
    return true;
  } catch {
    return false;
  }
}

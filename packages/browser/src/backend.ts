import * as tf from '@tensorflow/tfjs';

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

let wasmRegistered: Promise<void> | undefined;

/**
 * The wasm backend is imported only when it is tried: importing it
 * registers a backend that outranks cpu and needs async start-up, which
 * would break a Node process (the lmrec CLI reads this package's format)
 * that never asked for it.
 */
function registerWasm(paths: BackendOptions['wasmPaths']): Promise<void> {
  wasmRegistered ??= import('@tensorflow/tfjs-backend-wasm').then((wasm) => {
    if (paths) wasm.setWasmPaths(paths as string);
  });
  return wasmRegistered;
}

/**
 * webgl where it computes in float32 (scores must match the CLI to 1e-4;
 * half-float webgl does not), otherwise wasm, otherwise plain JS.
 */
export async function chooseBackend(options: BackendOptions = {}): Promise<BackendName> {
  const order: BackendName[] = options.backend ? [options.backend] : ['webgl', 'wasm', 'cpu'];
  for (const name of order) {
    if (name === 'wasm') await registerWasm(options.wasmPaths).catch(() => undefined);
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

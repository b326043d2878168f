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

/** The WebGL renderer when it is a software one (SwiftShader, llvmpipe), else undefined. */
export function softwareWebGl(): string | undefined {
  if (typeof document === 'undefined') return undefined;
  const gl = (document.createElement('canvas').getContext('webgl2') ?? document.createElement('canvas').getContext('webgl')) as WebGLRenderingContext | null;
  if (!gl) return undefined;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return /swiftshader|llvmpipe|software/i.test(renderer) ? renderer : undefined;
}

/**
 * webgl on a GPU where it computes in float32 (scores must match the CLI
 * to 1e-4; half-float webgl does not), otherwise wasm, otherwise plain JS.
 * Software webgl (SwiftShader) is skipped unless asked for: it scores a
 * 50k-item catalogue ten times slower than wasm (BENCHMARKS.md).
 */
export async function chooseBackend(options: BackendOptions = {}): Promise<BackendName> {
  const order: BackendName[] = options.backend ? [options.backend] : softwareWebGl() ? ['wasm', 'cpu'] : ['webgl', 'wasm', 'cpu'];
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

import { initBackend, type BackendCandidate, type BackendChoice, type PluginRegistry } from '@lmrec/core';

/**
 * Activates the tensor backend before anything touches a tensor: every
 * TensorBackend plugin competes (lmrec's own and third-party ones) by priority,
 * `prefer` (the config's `backend`, else LMREC_BACKEND) forcing one. Without it
 * tfjs picks the highest-priority backend merely imported (wasm, say), which is
 * not initialised yet.
 */
export function startBackend(registry: PluginRegistry, prefer: string | undefined): Promise<BackendChoice> {
  const candidates = registry.names('TensorBackend').map((name) => registry.create<BackendCandidate>('TensorBackend', name, {}));
  return initBackend({ prefer, candidates });
}

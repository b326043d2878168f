import { z } from 'zod';
import { definePlugin } from '../interfaces/plugin.js';
import { DEFAULT_BACKENDS, type BackendCandidate } from '../tensor/backend.js';
import { CORE_ORIGIN } from '../origin.js';
import { pluginModule } from './registry.js';

const DESCRIPTIONS: Record<string, string> = {
  'tensorflow-gpu': 'libtensorflow with CUDA (@tensorflow/tfjs-node-gpu, optional peer)',
  tensorflow: 'libtensorflow on the CPU (@tensorflow/tfjs-node, optional peer)',
  wasm: 'WebAssembly with SIMD (@tensorflow/tfjs-backend-wasm), the offline default',
  cpu: 'plain JavaScript, always available',
};

/** lmrec's tensor backends as TensorBackend plugins; a package adds its own the same way (with a priority). */
export const backendPlugins = DEFAULT_BACKENDS.map((candidate) =>
  definePlugin<BackendCandidate, z.ZodObject>({ name: candidate.name, description: DESCRIPTIONS[candidate.name], options: z.strictObject({}), create: () => candidate }),
);

export const coreModule = pluginModule(CORE_ORIGIN, 'TensorBackend', backendPlugins);

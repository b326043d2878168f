import { backendPlugins, CORE_ORIGIN, coreModule, PluginRegistry, type BackendCandidate } from '@lmrec/core';
import { pluginFactoryContract, tensorBackendContract } from '../src/index.js';

// core's own TensorBackend plugins. They run here rather than in core's tests:
// @lmrec/testing depends on @lmrec/core, and a dependency back would be a cycle
// (turbo refuses one; the layering check forbids it).
const registry = new PluginRegistry({ TensorBackend: backendPlugins });
// The native tensorflow candidates need @tensorflow/tfjs-node(-gpu), which cannot be installed here.
for (const name of ['wasm', 'cpu']) tensorBackendContract({ name, create: () => registry.create<BackendCandidate>('TensorBackend', name) });
for (const factory of backendPlugins) pluginFactoryContract({ point: 'TensorBackend', factory, module: coreModule, origin: CORE_ORIGIN });

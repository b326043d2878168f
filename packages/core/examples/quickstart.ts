// The README example, runnable: `npx tsx examples/quickstart.ts` (a test runs it too).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createContainer,
  Csr,
  definePlugin,
  initBackend,
  normalizedAdjacency,
  pluginModule,
  readSafetensors,
  scoreTopK,
  spmm,
  tf,
  TYPES,
  writeSafetensors,
  type PluginRegistry,
} from '../src/index.js';
import { z } from 'zod';

export class MeanAggregator {
  constructor(readonly dim: number) {}
}

export async function quickstart(dir = tmpdir()) {
  // 1. plugins: bind a factory under an extension point, resolve it by name
  const container = createContainer();
  const mean = definePlugin({
    name: 'mean',
    options: z.strictObject({ dim: z.number().int().positive().describe('vector width') }),
    create: (o) => new MeanAggregator(o.dim),
  });
  container.load(pluginModule({ package: 'my-plugins', version: '1.0.0' }, 'Aggregator', [mean]));
  const registry = container.get<PluginRegistry>(TYPES.PluginRegistry);
  const aggregator = registry.create<MeanAggregator>('Aggregator', 'mean', { dim: 64 }); // = new MeanAggregator(64)

  // 2. SpMM on LightGCN's propagation matrix of 2 users x 3 items
  const interactions = Csr.fromRows(3, [[0, 1], [1]]);
  const adjacency = normalizedAdjacency(interactions); // 5 x 5: D^-1/2 [[0, R], [R^T, 0]] D^-1/2
  const x = Float32Array.from({ length: 5 * 4 }, (_, i) => i / 10);
  const propagated = spmm(adjacency, x, 4); // [5 * 4], row-major

  // 3. score + mask + top-K: users [rows, d], items laid out [d, nItems]
  const top = scoreTopK({
    users: Float32Array.from([1, 0, 0, 1]),
    itemsT: Float32Array.from([3, 1, 2, 0, 5, 2]),
    dim: 2,
    nItems: 3,
    k: 2,
    exclude: interactions, // user 0 skips items 0 and 1, user 1 skips item 1
  });

  // 4. safetensors round trip
  const path = join(dir, 'lmrec-quickstart.safetensors');
  await writeSafetensors(path, { emb: { dtype: 'F16', shape: [2, 2], data: Float32Array.from([1, 2, 3, 4]) } }, { model: 'demo' });
  const file = await readSafetensors(path);

  // 5. tensors: pick the backend, then use tf from core
  const backend = await initBackend();
  const sum = tf.tidy(() => tf.matMul(tf.ones([2, 2]), tf.ones([2, 2])).sum().dataSync()[0]);

  return { aggregator, propagated, top, file, backend, sum };
}

if (process.argv[1]?.endsWith('quickstart.ts')) {
  const out = await quickstart();
  console.log('aggregator dim', out.aggregator.dim);
  console.log('A X row 0', Array.from(out.propagated.subarray(0, 4)));
  console.log('top-2 ids', Array.from(out.top.ids));
  console.log('safetensors', out.file.metadata, Array.from(out.file.tensors.emb.data as Float32Array));
  console.log('backend', out.backend.name, 'skipped', out.backend.skipped);
}

/**
 * The benchmark's server process: one catalogue, one backend.
 *   tsx bench/server.ts <ml100k|synthetic> <exact|index> <batch|nobatch>
 * Prints "listening <url>" and serves until SIGTERM.
 */
import { parseTarget, VectorStore } from '@lmrec/vectors';
import { buildApp, exactService, indexService, listen } from '../src/index.js';
import { ml100k, synthetic } from '../../../scripts/bench/catalogues.js';
import { benchDbDir } from '../../../scripts/bench/db-paths.js';

const [catalogue, backend, batching] = process.argv.slice(2);
const batch = batching === 'batch' ? undefined : (false as const);
let close = async () => {};
let service;
if (backend === 'exact') {
  const cat = catalogue === 'ml100k' ? ml100k() : synthetic();
  service = exactService({ name: 'bench', score: 'dot', dim: cat.dim, nItems: cat.nItems, itemsT: cat.itemsT, titles: cat.titles, users: cat.users, seen: cat.seen }, { batch });
} else {
  const store = await VectorStore.open(parseTarget(benchDbDir(catalogue)));
  if (!(await store.run(catalogue))) throw new Error(`no exported run in ${benchDbDir(catalogue)}: run the vectors benchmark first`);
  // ef_search 400 at 1M (recall@20 0.90 there, see the vectors benchmark), 100 at ML-100K (recall 1.0).
  service = await indexService(store, catalogue, { batch, plan: 'index', efSearch: catalogue === 'synthetic' ? 400 : 100 });
  close = () => store.close();
}
const app = await buildApp(service, { logger: { level: 'error' } });
const server = await listen(app, { onClose: close });
process.stdout.write(`listening ${server.url}\n`);
await server.stopped;

import { LmrecError } from '@lmrec/core';
import { listen } from '@lmrec/serve';
import { intArg } from '../cli/args.js';
import { UsageError } from '../cli/errors.js';
import { openRun } from '../saved/open.js';
import { serveRun } from '../saved/server.js';
import { describeTarget, targetArg } from '../saved/target.js';
import { ALLOW_PLUGINS } from './eval.js';
import { COMMON_FLAGS, type Command } from './types.js';

function portArg(value: unknown): number {
  const port = intArg(value, 'port', 0);
  if (port > 65535) throw new UsageError(`--port must be in 0..65535 (0: any free port), got ${port}`, 'port');
  return port;
}

/** Listening errors said as what they mean (a port in use is the user's to fix, not a bug). */
async function listenOn(app: Parameters<typeof listen>[0], host: string, port: number, onClose: () => Promise<void>) {
  try {
    return await listen(app, { host, port, onClose });
  } catch (error) {
    await onClose();
    const code = (error as { code?: string }).code;
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      throw new LmrecError('E_LISTEN', `cannot listen on ${host}:${port}: no such address on this machine`, { field: 'host', hint: 'give an address of this machine, e.g. 127.0.0.1' });
    }
    const why = code === 'EADDRINUSE' ? 'the port is in use' : code === 'EACCES' ? 'no permission (ports below 1024 need privileges)' : (error as Error).message;
    throw new LmrecError('E_LISTEN', `cannot listen on ${host}:${port}: ${why}`, { field: 'port', hint: 'pick another --port (0: any free port)' });
  }
}

/** `lmrec serve <run-dir>`: the HTTP JSON API of @lmrec/serve over a saved run, until SIGTERM / SIGINT. */
export const serveCommand: Command = {
  summary: 'serve a saved run over HTTP (POST /v1/recommend, GET /v1/items/:id, /v1/models, /healthz, /openapi.json) until SIGTERM',
  usage: ['lmrec serve <run-dir> [--host 127.0.0.1] [--port 8080] [--index <folder | postgres | env:VAR>] [--model LABEL] [--max-k 1000] [--ef-search 100] [--allow-plugins]'],
  args: { 'run-dir': 'a folder `lmrec run` wrote' },
  flags: {
    ...COMMON_FLAGS,
    host: { type: 'string', arg: 'HOST', default: '127.0.0.1', help: 'address to bind (loopback unless you say otherwise)' },
    port: { type: 'string', arg: 'N', default: '8080', help: 'TCP port, 0 for any free one (the URL printed says which)' },
    index: { type: 'string', arg: 'TARGET', help: 'answer from the vector database `lmrec export` wrote (a folder, postgres or env:VAR) instead of the in-memory exact scorer' },
    model: { type: 'string', arg: 'LABEL', help: 'serve only this saved model (default: all; requests pick one with "model", the first otherwise)' },
    'max-k': { type: 'string', arg: 'K', default: '1000', help: 'largest k a request may ask for' },
    'ef-search': { type: 'string', arg: 'N', help: 'with --index: pgvector hnsw.ef_search per query (default 100, raised to k)' },
    'allow-plugins': ALLOW_PLUGINS,
  },
  async run({ values, positionals, progress, out, note }) {
    if (!positionals[0]) throw new UsageError('missing the run folder');
    if (positionals.length > 1) throw new UsageError(`one run folder only, got also "${positionals[1]}"`);
    const port = portArg(values.port);
    const host = String(values.host ?? '').trim();
    if (!host) throw new UsageError('--host needs an address, e.g. 127.0.0.1', 'host');
    const maxK = intArg(values['max-k'], 'max-k', 1);
    const efSearch = values['ef-search'] === undefined ? undefined : intArg(values['ef-search'], 'ef-search', 1);
    if (efSearch !== undefined && values.index === undefined) throw new UsageError('--ef-search only goes with --index', 'ef-search');
    const index = values.index === undefined ? undefined : targetArg(values.index, 'index');
    const run = await openRun(positionals[0], { progress, allowPlugins: Boolean(values['allow-plugins']) });
    const served = await serveRun(run, { model: values.model as string | undefined, index, efSearch, maxK });
    const server = await listenOn(served.app, host, port, served.close);
    const models = await served.service.models();
    const from = index ? `the index in ${describeTarget(index)}` : 'memory (exact scorer)';
    if (values.json) out(JSON.stringify({ url: server.url, backend: served.backend, models }));
    else out(`lmrec serve: ${server.url}  (${models.map((m) => `${m.name}: ${m.inputs.join(', ')}`).join('; ')}; from ${from})`);
    for (const m of served.models) for (const limit of m.limits) note(limit);
    if (served.skipped.length) note(`not served: ${served.skipped.join(', ')} (not exported to ${describeTarget(index!)}; lmrec export adds them)`);
    if (!served.models.some((m) => m.titles)) note("this run's dataset has no item titles: answers carry empty titles");
    note('SIGTERM or Ctrl-C stops it: requests in flight are answered first');
    await server.stopped;
    note('lmrec serve: stopped');
    return 0;
  },
};

import { LmrecError } from '@lmrec/core';
import { UsageError } from '../cli/errors.js';
import { exportModel, type Exported } from '../saved/export.js';
import { openRun } from '../saved/open.js';
import { servedModels } from '../saved/served.js';
import { describeTarget, openTarget, targetArg } from '../saved/target.js';
import { ALLOW_PLUGINS } from './eval.js';
import { runKeyOf } from '../saved/services.js';
import type { SavedRun } from '../saved/open.js';
import type { VectorStore } from '@lmrec/vectors';
import { COMMON_FLAGS, type Command } from './types.js';

const line = (e: Exported, where: string) =>
  `exported ${e.label}: ${e.items} items${e.users ? ` + ${e.users} users` : ''} x ${e.dim} dims, HNSW by ${e.metric}, version ${e.version}, ${e.seconds.toFixed(1)} s -> ${where} (run key ${e.runKey})`;

/** `lmrec export <run-dir> --to <target>`: a run's vectors into PostgreSQL + pgvector. */
export const exportCommand: Command = {
  summary: "write a run's item (and user) vectors into a pgvector database: a PGlite folder or a PostgreSQL server",
  usage: ['lmrec export <run-dir> --to <folder | postgres | env:VAR> [--model LABEL] [--replace] [--allow-plugins]'],
  args: { 'run-dir': 'a folder `lmrec run` wrote' },
  flags: {
    ...COMMON_FLAGS,
    to: { type: 'string', arg: 'TARGET', help: 'a folder (embedded PGlite, created if new), postgres (the server whose connection string is in $LMREC_PG_URL) or env:VAR (in $VAR); never the connection string itself' },
    model: { type: 'string', arg: 'LABEL', help: 'only this saved model (default: every model with vectors)' },
    replace: { type: 'boolean', help: 'replace a model another run folder exported under the same key (<config name>/<label>)' },
    'allow-plugins': ALLOW_PLUGINS,
  },
  async run({ values, positionals, progress, out, note }) {
    if (!positionals[0]) throw new UsageError('missing the run folder');
    if (positionals.length > 1) throw new UsageError(`one run folder only, got also "${positionals[1]}"`);
    const target = targetArg(values.to, 'to');
    const run = await openRun(positionals[0], { progress, allowPlugins: Boolean(values['allow-plugins']) });
    const models = await servedModels(run, values.model as string | undefined);
    const where = describeTarget(target);
    const store = await openTarget(target, 'write');
    try {
      const done: Exported[] = [];
      if (!values.replace) await refuseForeignKeys(store, run, models);
      for (const m of models) {
        if (!m.factors) {
          note(`skipped ${m.label} (${m.plugin}): it has no item vectors to index; lmrec serve serves it from its own scores`);
          continue;
        }
        const e = await exportModel(store, run, m, progress);
        done.push(e);
        out(values.json ? JSON.stringify({ ...e, target: where }) : line(e, where));
      }
      if (done.length === 0) throw new LmrecError('E_UNSUPPORTED', `${run.dir} has no model with item vectors to export`, { field: 'model' });
      return 0;
    } finally {
      models.forEach((m) => m.dispose());
      await store.close();
    }
  },
};

/**
 * A run's key is `<config name>/<label>`, so two run folders of one config
 * (other seeds, say) share it: re-exporting the same folder replaces its
 * previous version, but another folder's vectors are never replaced without --replace.
 */
async function refuseForeignKeys(store: VectorStore, run: SavedRun, models: { label: string; factors?: unknown }[]): Promise<void> {
  for (const m of models) {
    if (!m.factors) continue;
    const key = runKeyOf(run, m.label);
    const previous = await store.run(key);
    const from = previous?.metadata.runDir;
    if (previous && typeof from === 'string' && from !== run.dir) {
      throw new LmrecError('E_CONFLICT', `"${key}" in this database was exported from another run folder (${from}), not ${run.dir}`, {
        field: 'to',
        hint: 'pass --replace to replace it, or export to another target',
      });
    }
  }
}

import { LmrecError } from '@lmrec/core';
import { evaluateFullRanking } from '@lmrec/eval';
import { choiceArg, intListArg } from '../cli/args.js';
import { UsageError } from '../cli/errors.js';
import { toRow } from '../experiments/cf-row.js';
import { metricKeys } from '../experiments/cf-table.js';
import { textTable } from '../report/table.js';
import type { ExperimentResult } from '../report/types.js';
import { openRun } from '../saved/open.js';
import { addSignificance } from '../significance.js';
import { COMMON_FLAGS, list, type Command } from './types.js';

export const ALLOW_PLUGINS = { type: 'boolean', help: "import the plugin packages the run's config names (their code runs); off by default: a run folder is data" } as const;

/** `lmrec eval <run-dir>`: re-evaluate the models a run saved, on its own saved split. */
export const evalCommand: Command = {
  summary: 'evaluate the saved models of a run folder on its saved split (valid or test)',
  usage: ['lmrec eval <run-dir> [--on test|valid] [--ks 10,20,50] [--model LABEL ...] [--allow-plugins]'],
  args: { 'run-dir': 'a folder `lmrec run` wrote' },
  flags: {
    ...COMMON_FLAGS,
    on: { type: 'string', arg: 'PART', default: 'test', help: 'test or valid' },
    ks: { type: 'string', arg: 'LIST', help: "cut-offs, e.g. 10,20,50 (default: the run's eval.ks)" },
    model: { type: 'string', multiple: true, arg: 'LABEL', help: 'only this saved model (default: all)' },
    'allow-plugins': ALLOW_PLUGINS,
  },
  async run({ values, positionals, progress, out }) {
    if (!positionals[0]) throw new UsageError('missing the run folder');
    const on = choiceArg(values.on, 'on', ['test', 'valid'] as const);
    const ks = values.ks === undefined ? undefined : intListArg(values.ks, 'ks', 1);
    const run = await openRun(positionals[0], { progress, allowPlugins: Boolean(values['allow-plugins']) });
    if (run.labels.length === 0) throw new LmrecError('E_ARGUMENT', `${run.dir} saved no models to evaluate`, { hint: run.config.experiment.startsWith('rta') ? 'an rta run keeps its numbers in results.json; serve it with lmrec recommend --conversation' : 'run the config to completion first' });
    const cutoffs = ks ?? run.config.eval.ks ?? [10, 20, 50];
    const labels = values.model === undefined ? run.labels : list(values.model);
    for (const label of labels) if (!run.labels.includes(label)) throw new UsageError(`no saved model "${label}" in ${run.dir}; saved: ${run.labels.join(', ') || 'none'}`, 'model');
    const split = await run.split();
    const metric = run.config.eval.metric ?? 'recall@20';
    const rows = [];
    for (const label of labels) rows.push(toRow(label, await evaluateFullRanking(await run.model(label), split, { on, ks: cutoffs, progress }), {}, 0, metric));
    const exp: ExperimentResult = {
      title: `${run.config.name}: saved models on ${on.toUpperCase()}`,
      kind: run.config.experiment,
      metricKeys: metricKeys(cutoffs),
      mainMetric: metric,
      baseline: rows.find((r) => r.label === run.config.eval.baseline)?.label ?? rows[0]?.label,
      rows,
    };
    const withSig = addSignificance(exp, run.config.seed);
    out(values.json ? JSON.stringify(withSig, null, 2) : textTable(withSig));
    return 0;
  },
};

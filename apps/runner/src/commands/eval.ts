import { evaluateFullRanking } from '@lmrec/eval';
import { cfExperiment, toRow } from '../experiments/cf.js';
import { loadCfData } from '../experiments/data.js';
import { textTable } from '../report/table.js';
import { addSignificance } from '../significance.js';
import { openRun } from './saved.js';
import { COMMON_OPTIONS, type Command } from './types.js';

/** `lmrec eval <run-dir>`: re-evaluate the models a run saved, on its own split. */
export const evalCommand: Command = {
  summary: 'evaluate the saved models of a run folder on its split (valid or test)',
  usage: 'lmrec eval <run-dir> [--on test|valid] [--ks 10,20,50] [--model LABEL]',
  options: { ...COMMON_OPTIONS, on: { type: 'string', default: 'test' }, ks: { type: 'string' }, model: { type: 'string', multiple: true } },
  async run({ values, positionals, progress }) {
    if (!positionals[0]) throw new Error(`usage: ${evalCommand.usage}`);
    const run = await openRun(positionals[0], progress);
    const on = values.on === 'valid' ? 'valid' : 'test';
    const ks = values.ks ? String(values.ks).split(',').map(Number) : (run.config.eval.ks ?? [10, 20, 50]);
    const data = await loadCfData(run.ctx);
    const labels = (values.model as unknown as string[] | undefined) ?? run.labels;
    const rows = [];
    for (const label of labels) {
      const model = await run.model(label);
      rows.push(toRow(label, await evaluateFullRanking(model, data.split, { on, ks, progress }), {}, 0, run.config.eval.metric ?? 'recall@20'));
    }
    const ctx = { ...run.ctx, config: { ...run.config, eval: { ...run.config.eval, ks } } };
    const exp = addSignificance(cfExperiment(ctx, `${run.config.name}: saved models on ${on.toUpperCase()}`, data, rows), run.config.seed);
    process.stdout.write(`${values.json ? JSON.stringify(exp, null, 2) : textTable(exp)}\n`);
    return 0;
  },
};

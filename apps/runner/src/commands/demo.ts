import { join, resolve } from 'node:path';
import { writeFileAtomic } from '@lmrec/core';
import { loadConfig } from '../config/load.js';
import type { RunResults } from '../report/types.js';
import { prepareOutput } from '../run/output.js';
import { runConfig } from '../run/run.js';
import { shippedConfig } from '../shipped.js';
import { demoSummary, GLOVE_DEMO, gloveMissing, LEXICAL_DEMO, type DemoRepresentation } from './demo-summary.js';
import { OUTPUT_FLAGS } from './run.js';
import { COMMON_FLAGS, type Command } from './types.js';

/** The main job: RTA's comparison and an AlphaRec comparison on the bundled offline data, with GloVe and with the lexical stand-in. */
export const demoCommand: Command = {
  summary: "the main job: RTA's table and an AlphaRec comparison on the bundled data, GloVe word vectors then the lexical stand-in (~5 minutes on 2 cores)",
  usage: ['lmrec demo [--output DIR] [--fresh] [--quiet|--json]'],
  flags: { ...COMMON_FLAGS, output: { ...OUTPUT_FLAGS.output, help: 'folder of the runs (default runs/demo)' }, fresh: OUTPUT_FLAGS.fresh },
  async run({ values, progress, out }) {
    const root = await prepareOutput(resolve((values.output as string | undefined) ?? join(process.cwd(), 'runs', 'demo')), { fresh: Boolean(values.fresh) });
    const missing = gloveMissing();
    if (missing) out(`GloVe rows skipped: ${missing}\nRunning the lexical stand-in only.`);
    const representations: DemoRepresentation[] = missing ? [LEXICAL_DEMO] : [GLOVE_DEMO, LEXICAL_DEMO];
    const reports: string[] = [];
    const runs: { representation: DemoRepresentation; results: Partial<Record<'rta' | 'alpharec', RunResults>> }[] = [];
    for (const representation of representations) {
      const results: Partial<Record<'rta' | 'alpharec', RunResults>> = {};
      for (const study of ['rta', 'alpharec'] as const) {
        const name = representation.configs[study];
        out(`\n== ${name}: ${representation.label}`);
        const loaded = await loadConfig(shippedConfig(`${name}.yaml`));
        const run = await runConfig(loaded, { output: join(root, name), fresh: Boolean(values.fresh), progress, print: (t) => out(t) });
        reports.push(run.report);
        results[study] = run.results;
      }
      runs.push({ representation, results });
    }
    const summary = demoSummary(runs);
    await writeFileAtomic(join(root, 'summary.md'), `${summary}\n`);
    out(`\n${summary}${missing ? `\n(GloVe row missing: ${missing})` : ''}`);
    out(`\nreports:\n${reports.map((r) => `  ${r}`).join('\n')}\n  ${join(root, 'summary.md')}`);
    return 0;
  },
};

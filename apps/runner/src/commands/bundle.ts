import { resolve } from 'node:path';
import { buildBundle } from '../bundle/build.js';
import { intArg } from '../cli/args.js';
import { UsageError } from '../cli/errors.js';
import { openRun } from '../saved/open.js';
import { ALLOW_PLUGINS } from './eval.js';
import { COMMON_FLAGS, type Command } from './types.js';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

/** `lmrec bundle <run-dir> --out <dir>`: a saved AlphaRec as files a web page loads (@lmrec/browser). */
export const bundleCommand: Command = {
  summary: 'write a saved AlphaRec as a browser bundle (bundle.safetensors + manifest.json) for @lmrec/browser and apps/web',
  usage: ['lmrec bundle <run-dir> --out <dir> [--model LABEL] [--float16] [--vocabulary N|all]'],
  args: { 'run-dir': 'a folder `lmrec run` wrote' },
  flags: {
    ...COMMON_FLAGS,
    out: { type: 'string', arg: 'DIR', help: 'folder to write bundle.safetensors and manifest.json into' },
    model: { type: 'string', arg: 'LABEL', help: 'row label of a saved model (default: the first AlphaRec or linear-mapping row)' },
    float16: { type: 'boolean', help: 'store vectors and weights as float16 (half the size; scores then differ from the CLI by ~1e-3)' },
    vocabulary: { type: 'string', default: '20000', arg: 'N', help: 'glove runs: most frequent words bundled for intentions besides the catalogue\'s own ("all": the whole table, exact for any word)' },
    'allow-plugins': ALLOW_PLUGINS,
  },
  async run({ values, positionals, progress, out, note }) {
    if (!positionals[0]) throw new UsageError('missing the run folder');
    if (typeof values.out !== 'string' || values.out === '') throw new UsageError('give --out DIR (the folder to write the bundle into)', 'out');
    const vocabulary = values.vocabulary === 'all' ? Infinity : intArg(values.vocabulary, 'vocabulary');
    const run = await openRun(positionals[0], { progress, allowPlugins: Boolean(values['allow-plugins']) });
    if (run.config.experiment === 'rta' || run.config.experiment === 'rta-aggregators') throw new UsageError(`${run.dir} is an ${run.config.experiment} run; bundles hold AlphaRec models of cf runs`);
    const result = await buildBundle(run, resolve(values.out), { label: values.model as string | undefined, float16: Boolean(values.float16), vocabulary });
    const m = result.manifest;
    if (result.noIntention) note(`this bundle takes no intentions: ${result.noIntention}`);
    else note(`intentions: ${m.intention!.words.length} of the encoder's ${m.intention!.fullVocabulary} words bundled (an intention word outside them adds nothing in the page)`);
    if (values.json) out(JSON.stringify({ dir: result.dir, bytes: m.bytes, sha256: m.sha256, nItems: m.nItems, dtype: m.dtype, intention: m.intention !== null }));
    else out(`wrote ${result.dir}: ${m.label}, ${m.nItems} items, ${m.dtype}, ${mb(m.bytes)} (${m.bytes} bytes)`);
    return 0;
  },
};

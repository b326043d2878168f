import { resolve } from 'node:path';
import { DEPS, LmrecError } from '@lmrec/core';
import { exclusive, intArg, intListArg, numberArg, onlyWith } from '../cli/args.js';
import { UsageError } from '../cli/errors.js';
import { readUtf8 } from '../config/read.js';
import { isConversationDataset, loadDataset } from '../experiments/data.js';
import { loadReindexed } from '../experiments/rta-model.js';
import { mentionedItems, parseConversation } from '../saved/conversation.js';
import { openRun, type SavedRun } from '../saved/open.js';
import { topOf, type Ranked } from '../saved/rank.js';
import { recommendCf, type CfRequest } from '../saved/recommend-cf.js';
import { ALLOW_PLUGINS } from './eval.js';
import { COMMON_FLAGS, type Command, type CommandInput } from './types.js';

type Values = CommandInput['values'];

/** Flags checked before the run folder is opened: every malformed one is a usage error. */
function cfRequest(values: Values): CfRequest & { label?: string } {
  exclusive(values, ['user', 'history'], true);
  onlyWith(values, 'alpha', ['intention']);
  return {
    label: values.model as string | undefined,
    user: values.user === undefined ? undefined : intArg(values.user, 'user'),
    history: values.history === undefined ? undefined : intListArg(values.history, 'history'),
    intention: values.intention as string | undefined,
    alpha: values.alpha === undefined ? undefined : numberArg(values.alpha, 'alpha', 0, 1),
    k: intArg(values.k, 'k', 1),
    includeSeen: Boolean(values['include-seen']),
  };
}

async function fromCf(run: SavedRun, request: CfRequest & { label?: string }, note: (t: string) => void): Promise<Ranked> {
  const label = request.label ?? run.labels[0];
  if (!label) throw new LmrecError('E_ARGUMENT', `${run.dir} saved no models`);
  if (!run.labels.includes(label)) throw new UsageError(`no saved model "${label}" in ${run.dir}; saved: ${run.labels.join(', ')}`, 'model');
  const record = run.records.get(label)!;
  const factory = run.registry.get('Recommender', record.plugin.name);
  const readsEncoder = [...(factory.requires ?? []), ...(factory.optional ?? [])].includes(DEPS.TextEncoder);
  if (request.intention !== undefined && !readsEncoder) throw new UsageError(`${label} does not take intentions (its plugin "${record.plugin.name}" reads no text encoder)`, 'intention');
  if (request.intention !== undefined && !record.deps['lmrec.dep.TextEncoder']) {
    throw new LmrecError('E_ARGUMENT', `${label}'s item vectors did not come from a text encoder in this run (the dataset shipped them), so there is no encoder to turn an intention into a vector`, {
      field: 'intention',
      hint: 'train it with an "encoder" in the config (the one that makes the item vectors) to recommend with intentions',
    });
  }
  const model = await run.model(label, { withEncoder: request.intention !== undefined });
  const answer = await recommendCf(model, label, request, await run.split());
  const parts = Object.entries(answer.excluded);
  const who = request.user !== undefined ? `user ${request.user} already has` : 'of the history';
  if (parts.length) note(`left out ${parts.reduce((s, [, n]) => s + n, 0)} items ${who} (${parts.map(([p, n]) => `${p} ${n}`).join(', ')}); --include-seen keeps them`);
  return answer;
}

/** An RTA run's reindexed model: the typed conversation through the backbone, ranked by q . V. */
async function fromConversation(run: SavedRun, source: string, k: number, excludeMentioned: boolean, note: (t: string) => void): Promise<Ranked & { titles: readonly string[] }> {
  const dataset = await loadDataset(run.ctx, run.config.dataset);
  if (!isConversationDataset(dataset)) throw new UsageError(`${run.dir} is not a conversational (rta) run`, 'conversation');
  const text = source === '-' ? await readStdin() : await readUtf8(resolve(source), 'conversation');
  const turns = parseConversation(text);
  const mentioned = excludeMentioned ? mentionedItems(turns, dataset.items.titles) : [];
  if (mentioned.length) note(`left out ${mentioned.length} items the conversation mentions: ${mentioned.map((j) => dataset.items.titles[j]).join(', ')}`);
  const { model, backbone } = await loadReindexed(run.ctx, dataset);
  try {
    const [q] = await backbone.contextVectors([turns]);
    return { ...topOf(model.score(q), k, mentioned), titles: dataset.items.titles };
  } finally {
    model.dispose();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new LmrecError('E_ENCODING', 'the conversation on stdin is not valid UTF-8', { field: 'conversation' });
  }
}

/** `lmrec recommend <run-dir>`: top-K for a user, an item history, an intention text, or a typed conversation. */
export const recommendCommand: Command = {
  summary: 'top-K from a saved run for a user, an item history (with an intention), or a typed conversation; known items left out',
  usage: [
    'lmrec recommend <run-dir> [--model LABEL] (--user N | --history 3,17,42) [--intention TEXT [--alpha 0.5]] [--k 10] [--include-seen]',
    'lmrec recommend <rta-run-dir> --conversation FILE|- [--k 10] [--exclude-mentioned]',
  ],
  args: { 'run-dir': 'a folder `lmrec run` wrote' },
  flags: {
    ...COMMON_FLAGS,
    model: { type: 'string', arg: 'LABEL', help: 'row label of a saved model (default: the first)' },
    user: { type: 'string', arg: 'N', help: "a user of the run's split (dense id, 0-based)" },
    history: { type: 'string', arg: 'LIST', help: 'item ids a new user has, comma-separated' },
    intention: { type: 'string', arg: 'TEXT', help: 'free text mixed into the user vector (models whose recommend() takes intentions, e.g. AlphaRec)' },
    alpha: { type: 'string', arg: 'A', help: 'weight of the intention in [0, 1] (default 0.5)' },
    conversation: { type: 'string', arg: 'FILE', help: 'a conversation as "User: ..." / "System: ..." lines (- for stdin), for an rta run' },
    k: { type: 'string', default: '10', arg: 'K', help: 'how many items' },
    'include-seen': { type: 'boolean', help: 'keep the items the user already has (train, valid and test) or the history items' },
    'exclude-mentioned': { type: 'boolean', help: 'leave out items the conversation mentions by title' },
    'allow-plugins': ALLOW_PLUGINS,
  },
  async run({ values, positionals, progress, out, note }) {
    if (!positionals[0]) throw new UsageError('missing the run folder');
    const conversation = values.conversation as string | undefined;
    const clash = ['model', 'user', 'history', 'intention', 'alpha', 'include-seen'].find((f) => values[f] !== undefined && values[f] !== false);
    if (conversation !== undefined && clash) throw new UsageError(`--${clash} does not go with --conversation`, clash);
    onlyWith(values, 'exclude-mentioned', ['conversation']);
    const request = conversation === undefined ? cfRequest(values) : undefined;
    const k = intArg(values.k, 'k', 1);
    const run = await openRun(positionals[0], { progress, allowPlugins: Boolean(values['allow-plugins']) });
    const conversational = run.config.experiment === 'rta' || run.config.experiment === 'rta-aggregators';
    if (conversational && !conversation) throw new UsageError(`${run.dir} is an ${run.config.experiment} run: it serves conversations (--conversation FILE)`, 'conversation');
    if (!conversational && conversation) throw new UsageError(`${run.dir} is a ${run.config.experiment} run: give --user or --history (--conversation is for rta runs)`, 'conversation');
    const ranked = request ? await fromCf(run, request, note) : await fromConversation(run, conversation!, k, Boolean(values['exclude-mentioned']), note);
    const titles = 'titles' in ranked ? (ranked.titles as readonly string[]) : await run.titles();
    if (!titles) note('this run\'s dataset has no item titles');
    // --json keeps the model's float32 score as is (lmrec serve answers the same numbers); the table rounds.
    const rows = ranked.items.map((item, r) => ({ rank: r + 1, item, score: ranked.scores[r], title: titles?.[item] ?? '' }));
    if (values.json) out(JSON.stringify(rows));
    else for (const r of rows) out(`${String(r.rank).padStart(3)}  ${String(r.item).padStart(6)}  ${r.score.toFixed(4).padStart(8)}  ${r.title}`);
    return 0;
  },
};

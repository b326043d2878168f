import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CapturingProgress } from '@lmrec/core';
import { loadConfig } from '../src/config/load.js';
import { runConfig } from '../src/run/run.js';
import { openRun } from '../src/saved/open.js';
import { isConversationDataset, loadDataset } from '../src/experiments/data.js';
import { loadReindexed } from '../src/experiments/rta-model.js';
import { parseConversation } from '../src/saved/conversation.js';
import { TerminalProgress } from '../src/progress/terminal.js';
import { runCli } from './cli.js';
import { tempDir, writePlantedAlphaRecDir } from './fixtures.js';

describe('lmrec recommend', () => {
  it('parses typed conversations into seeker and recommender turns', () => {
    const turns = parseConversation('User: hi there\nI like horror\nSystem: have you seen Alien?\nseeker: yes, loved it\n');
    expect(turns.map((t) => [t.role, t.text])).toEqual([
      ['seeker', 'hi there I like horror'],
      ['recommender', 'have you seen Alien?'],
      ['seeker', 'yes, loved it'],
    ]);
  });

  it('serves a typed conversation from an RTA run with the reindexed aggregator', async () => {
    const dir = tempDir('lmrec-rta-serve-');
    const file = join(dir, 'rta.yaml');
    writeFileSync(
      file,
      `name: serve
experiment: rta
seed: 4
dataset: { loader: redial-sample }
backbone: { name: lexical, options: { queryScale: 10 } }
eval: { ks: [10] }
study:
  variants: [Reindex]
  maxExamples: { train: 150, valid: 40, test: 40 }
  reindex: { maxEpochs: 2, negatives: 100 }
`,
    );
    const out = join(dir, 'out');
    await runConfig(await loadConfig(file), { output: out, progress: new CapturingProgress(), print: () => {} });
    const conversation = 'User: Hi! I am in the mood for a scary horror movie tonight.\nSystem: What did you watch lately?\nUser: I loved a haunted house film with ghosts\n';
    const talk = join(dir, 'talk.txt');
    writeFileSync(talk, conversation);
    const { code, stdout, stderr } = await runCli(['recommend', out, '--conversation', talk, '--k', '10', '--json', '--quiet']);
    expect(stderr).not.toContain('lmrec:');
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as { rank: number; item: number; score: number; title: string }[];
    expect(rows).toHaveLength(10);

    // The same model scored independently here: full sort of q . V, ties to the lower id.
    const run = await openRun(out, { progress: new TerminalProgress('quiet') });
    const dataset = await loadDataset(run.ctx, run.config.dataset);
    if (!isConversationDataset(dataset)) throw new Error('expected conversations');
    const { model, backbone } = await loadReindexed(run.ctx, dataset);
    const [q] = await backbone.contextVectors([parseConversation(conversation)]);
    const scores = model.score(q);
    model.dispose();
    const expected = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a] || a - b).slice(0, 10);
    expect(rows.map((r) => r.item)).toEqual(expected);
    expect(rows[0].title).toBe(dataset.items.titles[expected[0]]);
  });

  it('serves a saved CF model for a known user', async () => {
    const data = writePlantedAlphaRecDir(21);
    const dir = tempDir('lmrec-cf-serve-');
    const file = join(dir, 'cf.yaml');
    writeFileSync(file, `name: serve-cf\nexperiment: cf\nseed: 2\ndataset: { loader: alpharec, options: { dir: ${data} } }\nmodels:\n  - { name: popularity, label: Popularity }\neval: { ks: [10] }\n`);
    const out = join(dir, 'out');
    await runConfig(await loadConfig(file), { output: out, progress: new CapturingProgress(), print: () => {} });
    const { code, stdout } = await runCli(['recommend', out, '--model', 'Popularity', '--user', '0', '--k', '5', '--json', '--quiet']);
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as { item: number }[];
    // Popularity scores every item by its train count; the five most frequent that user 0 does not have
    // (in any of the three files), ties to the lower id.
    const counts = new Map<number, number>();
    const has = new Set<number>();
    for (const part of ['train', 'valid', 'test']) {
      for (const line of readFileSync(join(data, 'cf_data', `${part}.txt`), 'utf8').trim().split('\n')) {
        const [user, ...items] = line.split(' ').map(Number);
        if (user === 0) for (const item of items) has.add(item);
        if (part === 'train') for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
      }
    }
    expect(has.size).toBeGreaterThan(5);
    const expected = [...Array(80).keys()].filter((j) => !has.has(j)).sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || a - b).slice(0, 5);
    expect(rows.map((r) => r.item)).toEqual(expected);
  });
});

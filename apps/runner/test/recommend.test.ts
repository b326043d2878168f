import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CapturingProgress } from '@lmrec/core';
import { loadAlphaRecModel } from '@lmrec/alpharec';
import { loadSplit } from '@lmrec/datasets';
import { LexicalEncoder } from '@lmrec/encoders';
import { loadConfig } from '../src/config/load.js';
import { runConfig } from '../src/run/run.js';
import { openRun } from '../src/saved/open.js';
import { isConversationDataset, loadDataset } from '../src/experiments/data.js';
import { loadReindexed } from '../src/experiments/rta-model.js';
import { mentionedItems, parseConversation } from '../src/saved/conversation.js';
import { TerminalProgress } from '../src/progress/terminal.js';
import { runMain } from './cli.js';
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
  variants: [Reindex, '+Bias b (frozen agg.)']
  maxExamples: { train: 150, valid: 40, test: 40 }
  reindex: { maxEpochs: 2, negatives: 100 }
  bias: { epochs: 2, negatives: 100 }
`,
    );
    const out = join(dir, 'out');
    const { results } = await runConfig(await loadConfig(file), { output: out, progress: new CapturingProgress(), print: () => {} });
    // Training curves count epochs from 1 (adapt's log is 1-based already).
    const bias = results.experiments[0].rows.find((r) => r.label === '+Bias b (frozen agg.)')!;
    expect(bias.curve?.map((p) => p.epoch)).toEqual([1, 2]);
    expect(bias.best?.of).toBe(2);
    // Every row carries the comparison's step key and the resolved config it hashes (backbone options with defaults, the study).
    expect(bias.step?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(bias.step?.config).toMatchObject({ backbone: { plugin: { name: 'lexical', package: '@lmrec/reindex' }, options: { queryScale: 10 } }, study: { maxExamples: { train: 150 } } });
    const conversation = 'User: Hi! I am in the mood for a scary horror movie tonight.\nSystem: What did you watch lately?\nUser: I loved a haunted house film with ghosts\n';
    const talk = join(dir, 'talk.txt');
    writeFileSync(talk, conversation);
    const { code, stdout, stderr } = await runMain(['recommend', out, '--conversation', talk, '--k', '10', '--json']);
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

    // --exclude-mentioned: a conversation naming the two best items by title gets the next ones.
    const named = `${conversation}User: I already saw ${dataset.items.titles[expected[0]]} and ${dataset.items.titles[expected[1]].replace(/ \(\d{4}\)$/, '')}\n`;
    writeFileSync(talk, named);
    const [qNamed] = await backbone.contextVectors([parseConversation(named)]);
    const { model: again } = await loadReindexed(run.ctx, dataset);
    const scoresNamed = again.score(qNamed);
    again.dispose();
    const rankedNamed = Array.from(scoresNamed.keys()).sort((a, b) => scoresNamed[b] - scoresNamed[a] || a - b);
    const mentioned = mentionedItems(parseConversation(named), dataset.items.titles);
    expect(mentioned).toEqual(expect.arrayContaining(expected.slice(0, 2)));
    const excluded = await runMain(['recommend', out, '--conversation', talk, '--k', '5', '--json', '--exclude-mentioned']);
    expect(excluded.code).toBe(0);
    expect((JSON.parse(excluded.stdout) as { item: number }[]).map((r) => r.item)).toEqual(rankedNamed.filter((j) => !mentioned.includes(j)).slice(0, 5));
    expect(excluded.stderr).toContain(`left out ${mentioned.length} items the conversation mentions`);
  });

  it('serves a saved CF model for a known user', async () => {
    const data = writePlantedAlphaRecDir(21);
    const dir = tempDir('lmrec-cf-serve-');
    const file = join(dir, 'cf.yaml');
    writeFileSync(file, `name: serve-cf\nexperiment: cf\nseed: 2\ndataset: { loader: alpharec, options: { dir: ${data} } }\nmodels:\n  - { name: popularity, label: Popularity }\neval: { ks: [10] }\n`);
    const out = join(dir, 'out');
    await runConfig(await loadConfig(file), { output: out, progress: new CapturingProgress(), print: () => {} });
    const { code, stdout } = await runMain(['recommend', out, '--model', 'Popularity', '--user', '0', '--k', '5', '--json', '--quiet']);
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

  it('--intention works from a saved AlphaRec run: the encoder that made its item vectors is rebuilt from the run folder', async () => {
    const dir = tempDir('lmrec-intent-serve-');
    const file = join(dir, 'cf.yaml');
    writeFileSync(file, `name: intent\nexperiment: cf\nseed: 3\ndataset: { loader: redial-sample, filter: { user: 3 }, split: { kind: ratio } }\nencoder: { name: lexical, options: { dim: 64 } }\nmodels: [{ name: alpharec, label: AlphaRec, options: { hidden: 64, lr: 0.005, negatives: 16 } }]\ntrainer: { epochs: 2, batchSize: 256 }\neval: { ks: [10] }\n`);
    const out = join(dir, 'out');
    await runConfig(await loadConfig(file), { output: out, progress: new CapturingProgress(), print: () => {} });
    const moved = join(tempDir('lmrec-intent-moved-'), 'run');
    cpSync(out, moved, { recursive: true });
    const intention = 'a scary horror movie with ghosts';
    const { code, stdout, stderr } = await runMain(['recommend', moved, '--model', 'AlphaRec', '--user', '4', '--intention', intention, '--alpha', '0.6', '--k', '8', '--json']);
    expect(code, stderr).toBe(0);
    const rows = JSON.parse(stdout) as { item: number; title: string }[];
    // Independently: the saved weights, an encoder built here with the same options and fitted on the same titles.
    const split = await loadSplit(join(out, 'split-dataset'));
    const titles = (JSON.parse(readFileSync(join(out, 'split-dataset', 'items.json'), 'utf8')) as { titles: string[] }).titles;
    const encoder = new LexicalEncoder({ dim: 64 });
    encoder.fit(titles);
    const model = await loadAlphaRecModel(join(out, 'models', 'AlphaRec'), { encoder });
    const rec = await model.recommend({ user: 4, intention, alpha: 0.6, k: split.nItems, excludeSeen: false });
    const known = new Set([...split.train.row(4), ...split.valid.row(4), ...split.test.row(4)]);
    const expected = Array.from(rec.items).filter((j) => !known.has(j)).slice(0, 8);
    expect(rows.map((r) => r.item)).toEqual(expected);
    expect(rows.every((r) => r.title === titles[r.item] && r.title.length > 0)).toBe(true);
    model.dispose();
  });
});

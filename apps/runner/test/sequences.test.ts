import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CapturingProgress, Csr, readSafetensors, Rng, toInt32 } from '@lmrec/core';
import { DenseIdMap, InteractionDataset, Items, loadInteractionTable, randomSplit } from '@lmrec/datasets';
import { ID_ORDER_WARNING } from '@lmrec/recsys';
import { loadConfig } from '../src/config/load.js';
import { trainSequences } from '../src/experiments/sequences.js';
import { runConfig } from '../src/run/run.js';
import { tempDir } from './fixtures.js';

/** Random interactions with random (often tied) times; rows sorted by item as the loaders keep them. */
function timedDataset(seed: number, nUsers = 30, nItems = 40) {
  const rng = new Rng(seed);
  const rows = Array.from({ length: nUsers }, () => [...new Set(Array.from({ length: 6 + rng.int(8) }, () => rng.int(nItems)))].sort((a, b) => a - b));
  const times = rows.map((r) => r.map(() => rng.int(5)));
  const interactions = Csr.fromRows(nItems, rows);
  const ids = (n: number, p: string) => Array.from({ length: n }, (_, i) => `${p}${i}`);
  const data = new InteractionDataset({ name: 'timed', users: new DenseIdMap(ids(nUsers, 'u')), items: new Items(ids(nItems, 'i'), ids(nItems, 't')), interactions, timestamps: Float64Array.from(times.flat()) });
  return { data, rows, times };
}

describe('trainSequences', () => {
  it('orders each user train items by time, equal times by item id', () => {
    for (const seed of [1, 2, 3]) {
      const { data, rows, times } = timedDataset(seed);
      const split = randomSplit(data, { ratios: [0.6, 0.2, 0.2], seed });
      const got = trainSequences(data, split)!;
      rows.forEach((items, u) => {
        const train = new Set(split.train.row(u));
        // independent: (time, item) pairs of the train items, sorted as tuples
        const expected = items.map((item, k) => [times[u][k], item] as const).filter(([, item]) => train.has(item)).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, item]) => item);
        expect(Array.from(got[u])).toEqual(expected);
      });
    }
  });

  it('is undefined without timestamps, and refuses a split that is not the dataset', () => {
    const { data } = timedDataset(4);
    const bare = new InteractionDataset({ name: 'bare', users: data.users, items: data.items, interactions: data.interactions });
    expect(trainSequences(bare, randomSplit(bare, { ratios: [0.6, 0.2, 0.2], seed: 1 }))).toBeUndefined();
    const other = timedDataset(5).data;
    expect(() => trainSequences(data, randomSplit(other, { ratios: [0.6, 0.2, 0.2], seed: 1 }))).toThrow(/not among the dataset's interactions/);
  });
});

describe('cf runs hand SASRec the time order', () => {
  /** Every user's times run against item ids (time = 100 - item), so time order and id order are opposite. */
  function writeTable(dir: string, withTime: boolean): string {
    const rng = new Rng(11);
    const lines = [withTime ? 'user,item,time' : 'user,item'];
    for (let u = 0; u < 40; u++) {
      for (const j of new Set(Array.from({ length: 8 }, () => rng.int(30)))) lines.push(withTime ? `u${u},i${j},${100 - j}` : `u${u},i${j}`);
    }
    const file = join(dir, withTime ? 'timed.csv' : 'bare.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    return file;
  }

  async function run(withTime: boolean) {
    const dir = tempDir('lmrec-seq-');
    const columns = withTime ? '{ user: user, item: item, timestamp: time }' : '{ user: user, item: item }';
    const config = join(dir, 'c.yaml');
    writeFileSync(config, `name: seq\nexperiment: cf\nseed: 3\ndataset:\n  loader: table\n  options: { file: ${writeTable(dir, withTime)}, columns: ${columns} }\n  split: { kind: ratio }\nmodels:\n  - { name: sasrec, label: SASRec, options: { dim: 8, maxLen: 8 } }\ntrainer: { epochs: 1, evalEvery: 1 }\neval: { ks: [5] }\n`);
    const { results } = await runConfig(await loadConfig(config), { output: join(dir, 'out'), progress: new CapturingProgress(), print: () => {} });
    const saved = await readSafetensors(join(dir, 'out', 'models', 'SASRec', 'weights.safetensors'));
    const indptr = toInt32(saved.tensors['data.sequences.indptr'].data);
    const indices = toInt32(saved.tensors['data.sequences.indices'].data);
    const sequences = Array.from({ length: indptr.length - 1 }, (_, u) => Array.from(indices.subarray(indptr[u], indptr[u + 1])));
    // CSV item number of each dense item id, from the loader itself (ids follow the file, not the names)
    const table = await loadInteractionTable({ file: join(dir, withTime ? 'timed.csv' : 'bare.csv'), columns: withTime ? { user: 'user', item: 'item', timestamp: 'time' } : { user: 'user', item: 'item' } });
    const csvItem = (id: number) => Number(table.items.ids[id].slice(1));
    return { notes: results.experiments[0].notes ?? [], sequences: sequences.map((seq) => seq.map(csvItem)), ids: sequences };
  }

  it('time order from the timestamps, and no warning', async () => {
    const { notes, sequences } = await run(true);
    expect(notes.join(' ')).not.toContain('item-id order');
    expect(sequences.filter((s) => s.length > 1).length).toBeGreaterThan(30);
    // time = 100 - CSV item number: in time order the numbers fall
    for (const s of sequences) expect(s).toEqual([...s].sort((a, b) => b - a));
  }, 60_000);

  it('item-id order without timestamps, with the note under the table', async () => {
    const { notes, ids } = await run(false);
    expect(notes).toContain(`SASRec: ${ID_ORDER_WARNING}`);
    for (const s of ids) expect(s).toEqual([...s].sort((a, b) => a - b));
  }, 60_000);
});

import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, Rng, type DialogueTurn } from '@lmrec/core';
import { ablateContext, LexicalBackbone, learnToIndex, ReindexModel, SumAggregator, titleQueries } from '../src/index.js';

beforeAll(async () => {
  await initBackend();
});

const titles = ['Toy Story (1995)', 'The Matrix (1999)', 'Jumanji (1995)', 'Heat (1995)', 'American Pie  (1999)'];
const turns: DialogueTurn[] = [
  { role: 'seeker', text: 'I liked Toy Story (1995) and The Matrix (1999)', items: [0, 1] },
  { role: 'recommender', text: 'How about something funny?', items: [] },
  { role: 'seeker', text: 'American Pie (1999) was great', items: [4] },
];

describe('context ablations (pure transforms before encoding)', () => {
  it('S0 copies, S1 keeps only titles, S2 removes them, S3 swaps them consistently', () => {
    const frozen = JSON.stringify(turns);
    expect(ablateContext(turns, 'S0', { titles })).toEqual(turns);
    expect(ablateContext(turns, 'S1', { titles })).toEqual([
      { role: 'seeker', text: 'Toy Story (1995), The Matrix (1999)', items: [0, 1] },
      { role: 'seeker', text: 'American Pie  (1999)', items: [4] },
    ]);
    expect(ablateContext(turns, 'S2', { titles })).toEqual([
      { role: 'seeker', text: 'I liked and', items: [] },
      { role: 'recommender', text: 'How about something funny?', items: [] },
      { role: 'seeker', text: 'was great', items: [] },
    ]);
    const rng = new Rng(4);
    const s3 = ablateContext([...turns, { role: 'recommender', text: 'Toy Story (1995) again?', items: [0] }], 'S3', { titles, rng });
    // replacement drawn from an identical Rng stream, in order of first mention
    const expectRng = new Rng(4);
    const map = new Map<number, number>();
    for (const i of [0, 1, 4]) map.set(i, expectRng.int(titles.length));
    expect(s3[0].items).toEqual([map.get(0), map.get(1)]);
    expect(s3[0].text).toBe(`I liked ${titles[map.get(0)!]} and ${titles[map.get(1)!]}`);
    expect(s3[2].text).toBe(`${titles[map.get(4)!]} was great`);
    expect(s3[3].items).toEqual([map.get(0)]);
    expect(JSON.stringify(turns)).toBe(frozen); // input untouched
  });
});

describe('learn-to-index', () => {
  it('counts how often an item is ranked first from its own title (lexical backbone + sum)', async () => {
    const backbone = new LexicalBackbone({ dim: 128, seed: 2 });
    const cat = ['Toy Story', 'Toy Story 2', 'Heat', 'Jumanji', 'Heat Wave', 'Casablanca'];
    const model = await ReindexModel.fromBackbone(backbone, new SumAggregator({ dim: 128 }), cat);
    const queries = await titleQueries(backbone, cat);
    const r = learnToIndex(model, queries);
    // independent check: rank each item by the plain dot products
    const scores = model.score(queries);
    let h1 = 0;
    cat.forEach((_, i) => {
      const row = scores.subarray(i * cat.length, (i + 1) * cat.length);
      const higher = row.filter((s) => s > row[i]).length;
      const ge = row.filter((s) => s >= row[i]).length;
      const rank = Math.floor((higher + ge) / 2);
      expect(r.ranks[i]).toBe(rank);
      if (rank === 0) h1++;
    });
    expect(r.hit1).toBeCloseTo(h1 / cat.length, 10);
    expect(r.n).toBe(6);
    // single-word titles are found; "Toy Story" loses to its superset only if the scores say so
    expect(r.ranks[3]).toBe(0);
    expect(r.ranks[5]).toBe(0);
    expect(r.hit10).toBe(1);
    model.dispose();
  });
});

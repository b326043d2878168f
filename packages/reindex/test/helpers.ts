import { Rng, type DialogueTurn } from '@lmrec/core';

export const TITLES = ['Toy Story (1995)', 'The Matrix (1999)', 'Jumanji (1995)', 'Heat (1995)', 'American Pie  (1999)', 'Blade Runner (1982)'];

export const CONTEXTS: DialogueTurn[][] = [
  [
    { role: 'seeker', text: 'Hi, I loved Toy Story (1995), anything similar?', items: [0] },
    { role: 'recommender', text: 'Have you seen Jumanji (1995)?', items: [2] },
  ],
  [{ role: 'seeker', text: 'I want a dark sci-fi movie like Blade Runner (1982)', items: [5] }],
  [
    { role: 'seeker', text: 'comedies please', items: [] },
    { role: 'recommender', text: 'American Pie  (1999) is funny', items: [4] },
    { role: 'seeker', text: 'seen it, something with heists?', items: [] },
  ],
];

/** A small catalogue whose contexts carry a cue of the target's first title token. */
export function tinyReindexData(seed: number, d = 16, nItems = 12) {
  const rng = new Rng(seed);
  const vocab = 2 * nItems + 6;
  const table = Float32Array.from({ length: vocab * d }, () => rng.normal() / Math.sqrt(d));
  const titleTokenIds = Array.from({ length: nItems }, (_, i) => [i, 2 * nItems + rng.int(6), ...(i % 3 ? [2 * nItems + rng.int(6)] : [])]);
  const queries = (n: number) => {
    const q = new Float32Array(n * d);
    const targets: number[] = [];
    for (let r = 0; r < n; r++) {
      const t = rng.int(nItems);
      targets.push(t);
      for (let j = 0; j < d; j++) q[r * d + j] = 2 * table[(nItems + t) * d + j] + 0.5 * rng.normal() / Math.sqrt(d);
    }
    return { q, examples: targets.map((target) => ({ target, history: new Int32Array(0) })) };
  };
  return { d, table, vocab, titleTokenIds, train: queries(60), valid: queries(20) };
}

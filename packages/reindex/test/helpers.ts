import type { DialogueTurn } from '@lmrec/core';

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

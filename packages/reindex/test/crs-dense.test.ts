import { describe, expect, it } from 'vitest';
import { DEPS, type DialogueTurn, type TextEncoder } from '@lmrec/core';
import { LexicalEncoder } from '@lmrec/encoders';
import { crsModelContract, pluginFactoryContract } from '@lmrec/testing';
import { contextText, crsModelPlugins, crsModule, DenseRetriever, REINDEX_ORIGIN } from '../src/index.js';

/** Counts of a fixed vocabulary's words: cosines are easy to compute by hand. */
class CountEncoder implements TextEncoder {
  readonly id = 'count(godfather,mafia,toy,story,space)';
  readonly vocab = ['godfather', 'mafia', 'toy', 'story', 'space'];
  readonly dim = this.vocab.length;
  fitted: string[] = [];
  fit(corpus: readonly string[]) {
    this.fitted = [...corpus];
  }
  async encode(texts: readonly string[]) {
    return texts.map((t) => Float32Array.from(this.vocab, (w) => t.toLowerCase().split(/\W+/).filter((x) => x === w).length));
  }
}

const turn = (role: DialogueTurn['role'], text: string): DialogueTurn => ({ role, text, items: [] });
const titles = ['The Godfather (1972)', 'Toy Story (1995)', 'Space Jam (1996)'];

describe('DenseRetriever', () => {
  it('scores the cosine of the context and item vectors (checked by hand)', async () => {
    const enc = new CountEncoder();
    const model = new DenseRetriever(enc, { descriptions: true });
    await model.prepare({ titles, descriptions: ['mafia family saga', undefined, 'toy space'] });
    // item texts: "The Godfather (1972) | mafia family saga" -> (1,1,0,0,0); "Toy Story (1995)" -> (0,0,1,1,0); "Space Jam (1996) | toy space" -> (0,0,1,0,2)
    expect(enc.fitted).toEqual(['The Godfather (1972) | mafia family saga', 'Toy Story (1995)', 'Space Jam (1996) | toy space']);
    const ctx = [turn('seeker', 'I want a mafia film, or a toy story'), turn('recommender', 'space?')];
    // context "User: I want a mafia film, or a toy story\nRecommender: space?" -> (0,1,1,1,1), |c| = 2
    const scores = await model.scoreContexts([ctx]);
    const expected = [1 / (2 * Math.SQRT2), 2 / (2 * Math.SQRT2), (1 + 2) / (2 * Math.sqrt(5))];
    expected.forEach((e, i) => expect(scores[i]).toBeCloseTo(e, 6));
  });

  it('renders the last turns with roles; descriptions can be left out', async () => {
    expect(contextText([turn('seeker', 'a'), turn('recommender', 'b'), turn('seeker', 'c')], { lastTurns: 2 })).toBe('Recommender: b\nUser: c');
    expect(contextText([turn('seeker', 'a')], { roles: false })).toBe('a');
    const enc = new CountEncoder();
    await new DenseRetriever(enc, { descriptions: false }).prepare({ titles, descriptions: ['mafia', 'x', 'y'] });
    expect(enc.fitted).toEqual(titles);
  });

  it('an all-zero context vector scores 0 everywhere', async () => {
    const model = new DenseRetriever(new CountEncoder());
    await model.prepare({ titles });
    expect(Array.from(await model.scoreContexts([[turn('seeker', 'nothing known here')]]))).toEqual([0, 0, 0]);
  });
});

const lexicalTitles = ['The Godfather (1972)', 'Goodfellas (1990)', 'Toy Story (1995)', 'Finding Nemo (2003)', 'Alien (1979)', 'Heat (1995)'];
crsModelContract({
  name: 'dense-retriever (lexical encoder)',
  create: () => new DenseRetriever(new LexicalEncoder({ dim: 64 })),
  catalogue: { titles: lexicalTitles },
  contexts: [[turn('seeker', 'I loved Toy Story')], [turn('seeker', 'something like Goodfellas'), turn('recommender', 'have you seen Heat?')], []],
  planted: [
    { context: [turn('seeker', 'Finding Nemo please')], item: 3, k: 1 },
    { context: [turn('seeker', 'the godfather')], item: 0, k: 1 },
  ],
});

pluginFactoryContract({
  module: crsModule,
  origin: REINDEX_ORIGIN,
  point: 'CrsModel',
  factory: crsModelPlugins.find((f) => f.name === 'dense-retriever')!,
  options: { lastTurns: 3 },
  deps: [[DEPS.TextEncoder, new CountEncoder()]],
  check: (m) => expect(m.id).toContain('last=3'),
});

import { describe, expect, it } from 'vitest';
import { LmrecError, type CrsCatalogue, type CrsModel, type DialogueTurn } from '@lmrec/core';
import { crsModelSuite, runCheck } from '../src/index.js';

type Bug = 'noPrepareCheck' | 'secretInId' | 'nonFinite' | 'shortRows' | 'batchDependent' | 'unstable' | 'reversed';

/** Scores an item by how many of its title words the context uses (a reference CrsModel), with one planted bug. */
class WordOverlap implements CrsModel {
  readonly name = 'word-overlap';
  private titles: string[][] | undefined;
  private calls = 0;
  constructor(private readonly bug?: Bug) {}
  get id() {
    return this.bug === 'secretInId' ? 'word-overlap(key=sk-123)' : 'word-overlap';
  }
  async prepare(catalogue: CrsCatalogue) {
    this.titles = catalogue.titles.map((t) => t.toLowerCase().split(/\W+/).filter(Boolean));
  }
  async scoreContexts(contexts: readonly (readonly DialogueTurn[])[]) {
    if (!this.titles && this.bug !== 'noPrepareCheck') throw new LmrecError('E_STATE', 'prepare first');
    const titles = this.titles ?? [['x']];
    const n = titles.length - (this.bug === 'shortRows' ? 1 : 0);
    const out = new Float32Array(contexts.length * n);
    this.calls++;
    contexts.forEach((c, r) => {
      const words = new Set(c.flatMap((t) => t.text.toLowerCase().split(/\W+/)));
      for (let i = 0; i < n; i++) {
        let s = titles[i].filter((w) => words.has(w)).length - i * 1e-3;
        if (this.bug === 'reversed') s = -s;
        if (this.bug === 'batchDependent') s += contexts.length;
        if (this.bug === 'unstable') s += this.calls * 1e-2;
        out[r * n + i] = this.bug === 'nonFinite' && i === 0 ? Number.NaN : s;
      }
    });
    return out;
  }
}

const turn = (text: string): DialogueTurn => ({ role: 'seeker', text, items: [] });
const suite = (bug?: Bug) =>
  crsModelSuite({
    name: 'word overlap',
    create: () => new WordOverlap(bug),
    catalogue: { titles: ['Toy Story', 'The Godfather', 'Finding Nemo'] },
    contexts: [[turn('toy time')], [turn('nemo'), turn('or godfather')]],
    planted: [{ context: [turn('finding nemo')], item: 2, k: 1 }],
    secret: 'sk-123',
  });

describe('CrsModel contract', () => {
  it('passes the reference implementation', async () => {
    for (const check of suite().checks) await runCheck(suite(), check.title);
  });

  const cases: [Bug, string][] = [
    ['secretInId', 'without secrets'],
    ['noPrepareCheck', 'before prepare'],
    ['nonFinite', 'finite scores'],
    ['shortRows', 'finite scores'],
    ['batchDependent', 'do not depend on the other contexts'],
    ['unstable', 'repeat exactly'],
    ['reversed', 'planted'],
  ];
  for (const [bug, check] of cases) {
    it(`a model with bug "${bug}" fails "${check}"`, async () => {
      await expect(runCheck(suite(bug), check)).rejects.toThrow();
    });
  }
});

import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadRedial, redialLexicalSplit, toCrsExamples } from '../src/index.js';

/**
 * The official RTA example construction, checked against the reference
 * files of ../shared/data/redial_lexical (see its PROVENANCE.md). Read only
 * when the shared data is present: skipped otherwise.
 */
const REDIAL = join(__dirname, '../../../../shared/data/redial');
const LEXICAL = join(__dirname, '../../../../shared/data/redial_lexical');
const present = existsSync(join(REDIAL, 'test_data.jsonl.gz')) && existsSync(join(LEXICAL, 'examples_test.jsonl.gz'));

interface Reference {
  example_id: string;
  conv_id: string;
  turn_id: string;
  target: number;
  history: number[];
  context: string;
}

const files = { movies: join(REDIAL, 'movies_with_mentions.csv'), train: join(REDIAL, 'extra_train.jsonl'), valid: join(REDIAL, 'extra_valid.jsonl'), test: join(REDIAL, 'test_data.jsonl.gz') };

describe.skipIf(!present)('redial_lexical reference examples (official RTA protocol)', () => {
  it('official options reproduce the catalogue and every example exactly', async () => {
    const ds = await loadRedial({ ...files, turns: 'message', catalogue: 'mentioned' });
    const split = redialLexicalSplit(ds);
    expect([split.train.length, split.valid.length, split.test.length]).toEqual([1242, 100, 600]);
    const items = readFileSync(join(LEXICAL, 'items.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
    expect(ds.items.ids.length).toBe(2647);
    expect(ds.items.ids).toEqual(items.map((row) => row[1]));
    expect(ds.items.titles).toEqual(items.map((row) => row[2]));
    const counts: number[] = [];
    for (const part of ['train', 'valid', 'test'] as const) {
      const examples = toCrsExamples(ds, split[part], { history: 'distinct', targetsInHistory: 'keep' });
      const reference = gunzipSync(readFileSync(join(LEXICAL, `examples_${part}.jsonl.gz`))).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as Reference);
      counts.push(examples.length);
      const ours = examples.map((e) => ({
        example_id: `${e.conversationId}_${e.turnIndex}_${e.target}`,
        conv_id: e.conversationId,
        turn_id: String(e.turnIndex),
        target: e.target,
        history: Array.from(e.history),
        context: e.context.map((t) => `${t.role === 'seeker' ? 'User' : 'System'}: ${t.text}`).join('\n'),
      }));
      expect(ours.length).toBe(reference.length);
      for (let i = 0; i < ours.length; i++) if (JSON.stringify(ours[i]) !== JSON.stringify(reference[i])) expect(ours[i], `${part} example ${i}`).toEqual(reference[i]);
    }
    expect(counts).toEqual([4610, 389, 2364]);
    // Repeated mentions (the default history) change the history of 515 test examples.
    const all = toCrsExamples(ds, split.test);
    const distinct = toCrsExamples(ds, split.test, { history: 'distinct' });
    expect(all.filter((e, i) => e.history.join() !== distinct[i].history.join()).length).toBe(515);
  });

  it("today's defaults (merged turns, whole movies file, repeated mentions) differ as issue 19 measured", async () => {
    const ds = await loadRedial(files);
    const split = redialLexicalSplit(ds);
    expect(ds.items.ids.length).toBe(6924);
    expect((['train', 'valid', 'test'] as const).map((part) => toCrsExamples(ds, split[part]).length)).toEqual([4583, 386, 2341]);
  });
});

import { describe, expect, it } from 'vitest';
import { Rng } from '@lmrec/core';
import { meanSe, pairedBootstrap, pairedTTest, resultTable, type EvalResult } from '../src/index.js';

function result(values: number[], ids: number[]): EvalResult {
  return { protocol: { kind: 'test' }, n: values.length, metrics: { 'recall@10': meanSe(values) }, perUnit: { 'recall@10': values }, ids };
}

describe('resultTable', () => {
  const rng = new Rng(2);
  const ids = Array.from({ length: 200 }, (_, i) => i);
  const base = ids.map(() => rng.float());
  const better = base.map((x) => x + 0.1 + 0.05 * rng.normal());
  const same = base.map((x) => x + 0.05 * rng.normal());

  it('tests each row against the baseline, marks p < alpha', () => {
    // 'same' listed in reverse id order: pairing must go by id
    const sameResult = result([...same].reverse(), [...ids].reverse());
    const t = resultTable({ base: result(base, ids), better: result(better, ids), same: sameResult }, { baseline: 'base' });
    const [b, g, s] = t.rows;
    expect(b.cells['recall@10'].p).toBeUndefined();
    expect(g.cells['recall@10'].p).toBe(pairedTTest(better, base).p);
    expect(g.cells['recall@10'].significant).toBe(true);
    expect(s.cells['recall@10'].p).toBeCloseTo(pairedTTest(same, base).p, 14);
    expect(s.cells['recall@10'].significant).toBe(pairedTTest(same, base).p < 0.05);
    expect(g.cells['recall@10'].diff).toBeCloseTo(meanSe(better).mean - meanSe(base).mean, 14);
    const lines = t.markdown.split('\n');
    expect(lines[0]).toBe('| model | recall@10 |');
    expect(lines[2]).toMatch(/^\| base \(baseline\) \| [0-9.]+ ± [0-9.]+ \|$/);
    expect(lines[3]).toMatch(/^\| better \| \*\*[0-9.]+ ± [0-9.]+\*\*\* \|$/);
    expect(JSON.parse(JSON.stringify(t)).rows).toEqual(t.rows);
  });

  it('bootstrap variant and errors', () => {
    const rows = [
      { name: 'base', result: result(base, ids) },
      { name: 'better', result: result(better, ids) },
    ];
    const t = resultTable(rows, { baseline: 'base', test: 'bootstrap', iterations: 500, seed: 3 });
    expect(t.rows[1].cells['recall@10'].p).toBe(pairedBootstrap(better, base, { iterations: 500, seed: 3 }).p);
    expect(() => resultTable(rows, { baseline: 'nope' })).toThrow(/baseline "nope"/);
    expect(() => resultTable({ a: result(base, ids), b: result(base.slice(1), ids.slice(1)) }, { baseline: 'a' })).toThrow(/same users/);
  });
});

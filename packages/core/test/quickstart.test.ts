import { describe, expect, it } from 'vitest';
import { MeanAggregator, quickstart } from '../examples/quickstart.js';
import { tempDir } from './helpers.js';

describe('README quickstart', () => {
  it('runs and gives the numbers worked out by hand', async () => {
    const out = await quickstart(tempDir());
    expect(out.aggregator).toBeInstanceOf(MeanAggregator);
    expect(out.aggregator.dim).toBe(64);
    // row 0 (user 0) = 1/sqrt2 * x[item 0 = node 2] + 1/2 * x[item 1 = node 3]
    const x = (node: number, c: number) => (node * 4 + c) / 10;
    for (let c = 0; c < 4; c++) expect(out.propagated[c]).toBeCloseTo(x(2, c) / Math.SQRT2 + x(3, c) / 2, 6);
    // user 0 scores [3, 1, 2] minus items 0, 1; user 1 scores [0, 5, 2] minus item 1
    expect(Array.from(out.top.ids)).toEqual([2, -1, 2, 0]);
    expect(Array.from(out.top.scores)).toEqual([2, -Infinity, 2, 0]);
    expect(out.file.metadata).toEqual({ model: 'demo' });
    expect(Array.from(out.file.tensors.emb.data as Float32Array)).toEqual([1, 2, 3, 4]);
    expect(out.backend.name).toBe('wasm');
    expect(out.sum).toBe(8);
  });
});

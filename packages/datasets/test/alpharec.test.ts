import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeNpy } from '@lmrec/core';
import { loadAlphaRecDir } from '../src/index.js';
import { caught, tempDir, write } from './helpers.js';

const root = tempDir();
let n = 0;
function dataset(train: string, valid: string, test: string): string {
  const dir = join(root, `d${n++}`);
  write(dir, 'cf_data/train.txt', train);
  write(dir, 'cf_data/valid.txt', valid);
  write(dir, 'cf_data/test.txt', test);
  return dir;
}
const rowsOf = (csr: { nRows: number; row(i: number): Int32Array }) => Array.from({ length: csr.nRows }, (_, i) => Array.from(csr.row(i)));

describe('loadAlphaRecDir', () => {
  it('reads the three parts and the item embeddings', async () => {
    const dir = dataset('0 3 1\n1 0\n2 2 4\n', '0 0\n2 1\n', '0 2\n1 4\n');
    const emb = Float32Array.from({ length: 6 * 3 }, (_, i) => i / 10);
    await writeNpy(join(dir, 'item_info/item_cf_embeds_large3_array.npy'), emb, [6, 3]);
    const { split, itemEmbeddings } = await loadAlphaRecDir(dir);
    expect([split.nUsers, split.nItems]).toEqual([3, 6]);
    expect(rowsOf(split.train)).toEqual([[1, 3], [0], [2, 4]]);
    expect(rowsOf(split.valid)).toEqual([[0], [], [1]]);
    expect(rowsOf(split.test)).toEqual([[2], [4], []]);
    expect(itemEmbeddings?.dim).toBe(3);
    expect(Array.from(itemEmbeddings!.data)).toEqual(Array.from(emb));
  });

  it('without embeddings, nItems is 1 + the largest item id', async () => {
    const { split, itemEmbeddings } = await loadAlphaRecDir(dataset('0 1\n1 7\n', '0 2\n', '1 0\n'));
    expect([split.nUsers, split.nItems, itemEmbeddings]).toEqual([2, 8, undefined]);
  });

  it('locates bad ids, repeats, leaks and short embedding tables', async () => {
    const e1 = await caught(() => loadAlphaRecDir(dataset('0 1\n1 x2\n', '', '')));
    expect([e1.code, e1.line, e1.field]).toEqual(['E_PARSE', 2, 'item 1']);
    expect(e1.file).toMatch(/train\.txt$/);
    const e2 = await caught(() => loadAlphaRecDir(dataset('0 1\n', '0 2 3 2\n', '')));
    expect([e2.line, e2.field]).toEqual([1, 'item 3']);
    const e3 = await caught(() => loadAlphaRecDir(dataset('0 1\n0 2\n', '', '')));
    expect([e3.line, e3.field]).toEqual([2, 'user']);
    const e4 = await caught(() => loadAlphaRecDir(dataset('0 1 2\n', '0 3\n', '0 2\n')));
    expect(e4.code).toBe('E_LEAK');
    const dir = dataset('0 1\n', '0 4\n', '0 2\n');
    await writeNpy(join(dir, 'item_info/e.npy'), new Float32Array(4 * 2), [4, 2]);
    expect((await caught(() => loadAlphaRecDir(dir))).code).toBe('E_SHAPE');
    const e6 = await caught(() => loadAlphaRecDir(join(root, 'missing')));
    expect(e6.code).toBe('E_IO');
  });
});

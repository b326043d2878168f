import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeNpy, writeSafetensors } from '@lmrec/core';
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
    // the file name travels with the vectors: AlphaRec keys its MLP width by it
    expect(itemEmbeddings?.file).toBe('item_cf_embeds_large3_array.npy');
  });

  it('without embeddings, nItems is 1 + the largest item id (ids contiguous, or nItems given)', async () => {
    const { split, itemEmbeddings } = await loadAlphaRecDir(dataset('0 1\n1 7\n', '0 2\n', '1 0\n'), { nItems: 8 });
    expect([split.nUsers, split.nItems, itemEmbeddings]).toEqual([2, 8, undefined]);
    const dense = await loadAlphaRecDir(dataset('0 1 3\n1 2\n', '0 0\n', '1 4\n'));
    expect([dense.split.nUsers, dense.split.nItems]).toEqual([2, 5]);
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
    // An id beyond the embedding rows is blamed on the line holding it, not on the .npy.
    const e5 = await caught(() => loadAlphaRecDir(dir));
    expect([e5.code, e5.line, e5.field]).toEqual(['E_RANGE', 1, 'item 1']);
    expect(e5.file).toMatch(/valid\.txt$/);
    expect(e5.message).toContain('outside 0..3');
    expect(e5.message).toContain('4 rows of');
    const e6 = await caught(() => loadAlphaRecDir(join(root, 'missing')));
    expect(e6.code).toBe('E_IO');
  });
});

describe('loadAlphaRecDir: truncated and inconsistent files', () => {
  it('a train.txt cut mid-line is E_TRUNCATED at its last line', async () => {
    const e = await caught(() => loadAlphaRecDir(dataset('0 0 1\n1 2 3\n2 1', '0 4\n1 4\n2 0\n', '0 5\n1 5\n2 5\n')));
    expect([e.code, e.line]).toEqual(['E_TRUNCATED', 3]);
    expect(e.file).toMatch(/train\.txt$/);
  });

  it('a train.txt cut at a line end is caught by the valid/test users it lost', async () => {
    const e = await caught(() => loadAlphaRecDir(dataset('0 0 1\n1 2 3\n', '0 4\n1 4\n2 0\n', '0 5\n1 5\n2 5\n')));
    expect([e.code, e.line, e.field]).toEqual(['E_RANGE', 3, 'user']);
    expect(e.file).toMatch(/valid\.txt$/);
    expect(e.message).toContain('user 2 has no line in train.txt (train users are 0..1)');
  });

  it('train users must be 0..n-1', async () => {
    const e = await caught(() => loadAlphaRecDir(dataset('0 0 1\n3 2\n', '', '')));
    expect([e.code, e.line, e.field]).toEqual(['E_RANGE', 2, 'user']);
    expect(e.message).toContain('train users must be 0..1');
  });

  it('item ids must be contiguous without a catalogue size; the error is at the largest id', async () => {
    const e = await caught(() => loadAlphaRecDir(dataset('0 0 1\n1 2\n', '0 9\n', '1 3\n')));
    expect([e.code, e.line, e.field]).toEqual(['E_RANGE', 1, 'item 1']);
    expect(e.file).toMatch(/valid\.txt$/);
    expect(e.message).toContain('no file uses item 4, but item 9 is used here');
  });

  it('an id beyond nItems is blamed on its line, naming the option', async () => {
    const e = await caught(() => loadAlphaRecDir(dataset('0 0 1\n1 2 6\n', '', ''), { nItems: 5 }));
    expect([e.code, e.line, e.field]).toEqual(['E_RANGE', 2, 'item 2']);
    expect(e.file).toMatch(/train\.txt$/);
    expect(e.message).toContain('outside 0..4, the catalogue given by the nItems option (5)');
  });

  it('rejects non-canonical tokens: blank lines, double spaces, tabs, signs, leading zeros', async () => {
    const cases: [string, number, string][] = [
      ['0 0\n\n1 1\n', 2, ''],
      ['0 0  1\n1 2\n', 1, 'item 2'],
      ['0 0\t1\n1 2\n', 1, 'item 1'],
      ['0 0 1 \n1 2\n', 1, 'item 3'],
      ['0 +1\n1 0\n', 1, 'item 1'],
      ['0 01\n1 0\n', 1, 'item 1'],
      ['00 1\n1 0\n', 1, 'user'],
      ['0 1\n1 0 99999999999\n', 2, 'item 2'],
    ];
    for (const [train, line, field] of cases) {
      const e = await caught(() => loadAlphaRecDir(dataset(train, '', ''), { nItems: 3 }));
      expect([e.code, e.line, e.field ?? ''], JSON.stringify(train)).toEqual(['E_PARSE', line, field]);
    }
    // CRLF line ends are fine (the reference loader strips them too).
    const { split } = await loadAlphaRecDir(dataset('0 0 1\r\n1 2\r\n', '0 2\r\n', ''));
    expect(rowsOf(split.train)).toEqual([[0, 1], [2]]);
  });

  it('non-UTF-8 bytes are E_ENCODING with the line', async () => {
    const dir = dataset('0 0\n', '', '');
    write(dir, 'cf_data/train.txt', Buffer.from([0x30, 0x20, 0x30, 0x0a, 0x31, 0x20, 0xff, 0x0a]));
    const e = await caught(() => loadAlphaRecDir(dir));
    expect([e.code, e.line]).toEqual(['E_ENCODING', 2]);
  });

  it('valid and test users without items and users missing from valid/test are allowed', async () => {
    const { split } = await loadAlphaRecDir(dataset('0 0\n1\n2 1 2\n', '0 3\n1\n', '2 0\n'));
    expect(rowsOf(split.train)).toEqual([[0], [], [1, 2]]);
    expect(rowsOf(split.valid)).toEqual([[3], [], []]);
    expect(rowsOf(split.test)).toEqual([[], [], [0]]);
  });
});

describe('loadAlphaRecDir: embedding files', () => {
  const base = () => dataset('0 0 1\n1 2\n', '0 2\n', '1 0\n');

  it('NaN or Inf in the .npy names the file, row and column', async () => {
    for (const [bad, word] of [[NaN, 'NaN'], [Infinity, 'Infinity'], [-Infinity, '-Infinity']] as const) {
      const dir = base();
      const emb = new Float32Array(3 * 4).fill(0.5);
      emb[2 * 4 + 1] = bad;
      await writeNpy(join(dir, 'item_info/e.npy'), emb, [3, 4]);
      const e = await caught(() => loadAlphaRecDir(dir));
      expect([e.code, e.field]).toEqual(['E_NONFINITE', 'row 2, column 1']);
      expect(e.file).toMatch(/e\.npy$/);
      expect(e.message).toContain(`${word} at row 2, column 1`);
    }
  });

  it('a float64 .npy value beyond float32 range is Infinity once converted, and rejected', async () => {
    const dir = base();
    const emb = new Float64Array(3 * 2);
    emb[1] = 1e300;
    await writeNpy(join(dir, 'item_info/e.npy'), emb, [3, 2]);
    const e = await caught(() => loadAlphaRecDir(dir));
    expect([e.code, e.field]).toEqual(['E_NONFINITE', 'row 0, column 1']);
  });

  it('reads a .safetensors table and checks it the same way', async () => {
    const dir = base();
    const emb = Float32Array.from({ length: 3 * 2 }, (_, i) => i);
    await writeSafetensors(join(dir, 'item_info/items.safetensors'), { items: { dtype: 'F32', shape: [3, 2], data: emb } });
    const { itemEmbeddings, split } = await loadAlphaRecDir(dir);
    expect([split.nItems, itemEmbeddings?.dim]).toEqual([3, 2]);
    expect(Array.from(itemEmbeddings!.data)).toEqual(Array.from(emb));
    emb[5] = NaN;
    await writeSafetensors(join(dir, 'item_info/items.safetensors'), { items: { dtype: 'F32', shape: [3, 2], data: emb } });
    const e = await caught(() => loadAlphaRecDir(dir));
    expect([e.code, e.field]).toEqual(['E_NONFINITE', 'row 2, column 1']);
    expect(e.file).toMatch(/items\.safetensors$/);
  });

  it('a safetensors file with several tensors needs { tensor }', async () => {
    const dir = base();
    const t = { dtype: 'F32' as const, shape: [3, 1], data: new Float32Array(3) };
    await writeSafetensors(join(dir, 'item_info/items.safetensors'), { a: t, b: { ...t, data: Float32Array.of(1, 2, 3) } });
    expect((await caught(() => loadAlphaRecDir(dir))).field).toBe('tensor');
    const { itemEmbeddings } = await loadAlphaRecDir(dir, { tensor: 'b' });
    expect(Array.from(itemEmbeddings!.data)).toEqual([1, 2, 3]);
  });
});

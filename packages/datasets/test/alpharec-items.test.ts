import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadAlphaRecDir } from '../src/index.js';
import { caught, tempDir, write } from './helpers.js';

const root = tempDir();
let n = 0;
function dataset(itemMap?: string, name = 'item_map.tsv'): string {
  const dir = join(root, `d${n++}`);
  write(dir, 'cf_data/train.txt', '0 0 1\n1 2\n');
  write(dir, 'cf_data/valid.txt', '0 2\n');
  write(dir, 'cf_data/test.txt', '1 0\n');
  if (itemMap !== undefined) write(dir, name, itemMap);
  return dir;
}

describe('loadAlphaRecDir: item texts', () => {
  it('reads item_map.tsv by dense id, whatever the line order', async () => {
    const dir = dataset('new_id\tml100k_item_id\ttext\n2\t9\tFargo (1996) | Crime\n0\t1\tToy Story (1995) | Animation\n1\t5\tHeat (1995)\n');
    const { titles, split } = await loadAlphaRecDir(dir);
    expect(split.nItems).toBe(3);
    expect(titles).toEqual(['Toy Story (1995) | Animation', 'Heat (1995)', 'Fargo (1996) | Crime']);
  });

  it('has no titles without the file; a named file must exist', async () => {
    expect((await loadAlphaRecDir(dataset())).titles).toBeUndefined();
    const e = await caught(() => loadAlphaRecDir(dataset(), { itemText: 'items.tsv' }));
    expect([e.code, e.field]).toEqual(['E_IO', 'itemText']);
    const named = await loadAlphaRecDir(dataset('id\ttitle\n0\ta\n1\tb\n2\tc\n', 'items.tsv'), { itemText: 'items.tsv' });
    expect(named.titles).toEqual(['a', 'b', 'c']);
  });

  it('a missing, repeated or out-of-range id is an error at its line', async () => {
    const missing = await caught(() => loadAlphaRecDir(dataset('new_id\ttext\n0\ta\n2\tc\n')));
    expect(missing.code).toBe('E_RANGE');
    expect(missing.message).toContain('item 1 has no line');
    const repeated = await caught(() => loadAlphaRecDir(dataset('new_id\ttext\n0\ta\n1\tb\n1\tb2\n2\tc\n')));
    expect([repeated.line, repeated.message]).toEqual([4, expect.stringContaining('second line')]);
    const range = await caught(() => loadAlphaRecDir(dataset('new_id\ttext\n0\ta\n7\tb\n')));
    expect(range.line).toBe(3);
    const header = await caught(() => loadAlphaRecDir(dataset('a\tb\n0\tx\n')));
    expect([header.line, header.field]).toEqual([1, 'header']);
  });
});

import { expect } from 'vitest';

interface CsrLike {
  nRows: number;
  nCols: number;
  indptr: ArrayLike<number>;
  indices: ArrayLike<number>;
  values?: ArrayLike<number>;
}

const isCsr = (x: unknown): x is CsrLike => typeof x === 'object' && x !== null && 'indptr' in x && 'indices' in x && 'nRows' in x && 'nCols' in x;

/** indptr starts at 0, never decreases and ends at nnz; columns in range and strictly increasing per row. */
export function expectValidCsr(m: unknown, what: string): asserts m is CsrLike {
  expect(isCsr(m), `${what} is not a CSR matrix`).toBe(true);
  const { nRows, nCols, indptr, indices, values } = m as CsrLike;
  expect(indptr.length, `${what}: indptr length`).toBe(nRows + 1);
  expect(indptr[0], `${what}: indptr[0]`).toBe(0);
  expect(indptr[nRows], `${what}: indptr[nRows] != nnz`).toBe(indices.length);
  if (values) expect(values.length, `${what}: values length`).toBe(indices.length);
  for (let r = 0; r < nRows; r++) {
    const [a, b] = [indptr[r], indptr[r + 1]];
    if (b < a) expect.fail(`${what}: indptr decreases at row ${r}`);
    for (let k = a; k < b; k++) {
      const j = indices[k];
      if (!(Number.isInteger(j) && j >= 0 && j < nCols)) expect.fail(`${what}: row ${r} has column ${j} outside [0, ${nCols})`);
      if (k > a && !(indices[k - 1] < j)) expect.fail(`${what}: row ${r} is not sorted (or repeats column ${j})`);
    }
  }
}

interface IdMapLike {
  size: number;
  ids: readonly string[];
  index(id: string): number | undefined;
}

function expectIdMap(map: IdMapLike, n: number, what: string): void {
  expect(map.size, `${what}.size`).toBe(n);
  expect(map.ids.length, `${what}.ids`).toBe(n);
  expect(new Set(map.ids).size, `${what}: repeated ids`).toBe(n);
  map.ids.forEach((id, i) => {
    if (map.index(id) !== i) expect.fail(`${what}.index("${id}") is ${map.index(id)}, expected ${i}`);
  });
}

function expectAligned(values: ArrayLike<number> | undefined, nnz: number, what: string): void {
  if (values === undefined) return;
  expect(values.length, `${what} length != interactions`).toBe(nnz);
  for (let k = 0; k < values.length; k++) if (!Number.isFinite(values[k])) expect.fail(`${what}[${k}] is not finite`);
}

/** An InteractionDataset of @lmrec/datasets: users x items CSR with id maps, titles and aligned ratings/timestamps. */
export function expectInteractionDataset(ds: any): void {
  expectValidCsr(ds.interactions, 'interactions');
  const m = ds.interactions as CsrLike;
  expectIdMap(ds.users, m.nRows, 'users');
  expectIdMap(ds.items, m.nCols, 'items');
  expect(ds.items.titles.length, 'items.titles').toBe(m.nCols);
  for (const field of ['descriptions', 'genres', 'brands']) if (ds.items[field] !== undefined) expect(ds.items[field].length, `items.${field}`).toBe(m.nCols);
  expectAligned(ds.ratings, m.indices.length, 'ratings');
  expectAligned(ds.timestamps, m.indices.length, 'timestamps');
  if (typeof ds.stats === 'function') expect(ds.stats()).toMatchObject({ users: m.nRows, items: m.nCols, interactions: m.indices.length });
}

/** A ConversationDataset: turns mention catalogue items, liked items are mentions, the split is disjoint indices. */
export function expectConversationDataset(ds: any): void {
  const nItems = ds.items.ids.length;
  expect(ds.items.titles.length, 'items.titles').toBe(nItems);
  expect(new Set(ds.items.ids).size, 'repeated item ids').toBe(nItems);
  expect(new Set(ds.conversations.map((c: any) => c.id)).size, 'repeated conversation ids').toBe(ds.conversations.length);
  ds.conversations.forEach((c: any, ci: number) => {
    expect(c.turns.length, `conversation ${c.id} has no turns`).toBeGreaterThan(0);
    c.turns.forEach((t: any, ti: number) => {
      const where = `conversation ${ci} ("${c.id}") turn ${ti}`;
      expect(['seeker', 'recommender'], `${where} role`).toContain(t.role);
      expect(typeof t.text, `${where} text`).toBe('string');
      for (const j of t.items) if (!(Number.isInteger(j) && j >= 0 && j < nItems)) expect.fail(`${where} mentions item ${j} outside [0, ${nItems})`);
      for (const j of t.liked ?? []) if (!t.items.includes(j)) expect.fail(`${where} likes item ${j} it does not mention`);
    });
  });
  const seen = new Set<number>();
  for (const part of ['train', 'valid', 'test'] as const) {
    for (const i of ds.split[part]) {
      if (!(Number.isInteger(i) && i >= 0 && i < ds.conversations.length)) expect.fail(`split.${part} holds ${i}, not a conversation index`);
      if (seen.has(i)) expect.fail(`conversation ${i} is in two split parts (or twice in one)`);
      seen.add(i);
    }
  }
}

/** A CfSplit (with optional item vectors), as the AlphaRec loader gives. */
export function expectSplitData(data: any): void {
  const { split } = data;
  for (const part of ['train', 'valid', 'test'] as const) {
    expectValidCsr(split[part], `split.${part}`);
    expect([split[part].nRows, split[part].nCols], `split.${part} shape`).toEqual([split.nUsers, split.nItems]);
  }
  if (data.itemEmbeddings) {
    const { dim, data: values } = data.itemEmbeddings;
    expect(Number.isInteger(dim) && dim > 0, `itemEmbeddings.dim ${dim}`).toBe(true);
    expect(values.length, 'itemEmbeddings rows != nItems').toBe(dim * split.nItems);
    for (let k = 0; k < values.length; k++) if (!Number.isFinite(values[k])) expect.fail(`itemEmbeddings value ${k} is not finite`);
  }
}

/** Which of the known shapes `data` has. */
export function datasetShape(data: any): 'interactions' | 'conversations' | 'split' | undefined {
  if (data && isCsr(data.interactions)) return 'interactions';
  if (data && Array.isArray(data.conversations)) return 'conversations';
  if (data && data.split && isCsr(data.split.train)) return 'split';
  return undefined;
}

import { expect } from 'vitest';
import type { DatasetLoader } from '@lmrec/core';
import { datasetShape, expectConversationDataset, expectInteractionDataset, expectSplitData } from './dataset-shapes.js';
import { caught, expectLmrecError } from './numbers.js';
import { registerSuite, type Suite } from './suite.js';

export interface BrokenInput {
  title: string;
  /** Builds a loader over bad input or with bad options: creating it or `load()` must fail with an LmrecError. */
  create(): DatasetLoader | Promise<DatasetLoader>;
  /** Expected error code, e.g. "E_PARSE". */
  code?: string;
  /** The message must match (e.g. the file and line it names). */
  message?: RegExp;
}

export interface DatasetLoaderCase<T = unknown> {
  /** The loader's name (its `name` must equal it). */
  name: string;
  /** A loader over good input. */
  create(): DatasetLoader<T> | Promise<DatasetLoader<T>>;
  /** Sizes of the input, counted by hand. */
  expected?: { users?: number; items?: number; interactions?: number; conversations?: number };
  broken?: BrokenInput[];
  /** Further checks of the loaded data (required for a shape the suite does not know). */
  check?(data: T): unknown | Promise<unknown>;
}

function sizes(data: any, shape: ReturnType<typeof datasetShape>): Record<string, number> {
  if (shape === 'interactions') return { users: data.interactions.nRows, items: data.interactions.nCols, interactions: data.interactions.indices.length };
  if (shape === 'conversations') return { items: data.items.ids.length, conversations: data.conversations.length };
  if (shape === 'split') {
    const s = data.split;
    return { users: s.nUsers, items: s.nItems, interactions: s.train.indices.length + s.valid.indices.length + s.test.indices.length };
  }
  return {};
}

/** The data without functions (closures differ per load), typed arrays as plain arrays, maps as entries. */
function canonical(value: unknown, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'function') return undefined;
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[cycle]';
  seen.add(value);
  if (ArrayBuffer.isView(value)) return { typed: value.constructor.name, values: Array.from(value as unknown as ArrayLike<number>) };
  if (value instanceof Map) return { map: [...value].map(([k, v]) => [canonical(k, seen), canonical(v, seen)]) };
  if (value instanceof Set) return { set: [...value].map((v) => canonical(v, seen)) };
  if (Array.isArray(value)) return value.map((v) => canonical(v, seen));
  return Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v !== 'function').map(([k, v]) => [k, canonical(v, seen)]));
}

/**
 * The DatasetLoader contract: `load()` gives a consistent dataset of a known
 * shape (interaction CSR with sorted in-range ids and id maps; conversations
 * over the catalogue with a disjoint split; or a CF split), the same on every
 * load, with the hand-counted sizes; bad input and bad options fail with an
 * LmrecError.
 */
export function datasetLoaderSuite<T>(c: DatasetLoaderCase<T>): Suite {
  const load = async () => (await c.create()).load();
  const checks: Suite['checks'] = [
    {
      title: 'loads a consistent dataset of a known shape, with the expected sizes',
      run: async () => {
        const loader = await c.create();
        expect(loader.name).toBe(c.name);
        const data = (await loader.load()) as any;
        const shape = datasetShape(data);
        if (shape === 'interactions') expectInteractionDataset(data);
        else if (shape === 'conversations') expectConversationDataset(data);
        else if (shape === 'split') expectSplitData(data);
        else expect(c.check, 'the data has none of the known shapes (interactions, conversations, split): give the case a check()').toBeDefined();
        if (c.expected) expect(sizes(data, shape)).toMatchObject(c.expected);
        await c.check?.(data);
      },
    },
    {
      title: 'gives the same data on every load',
      run: async () => expect(canonical(await load())).toEqual(canonical(await load())),
    },
  ];
  for (const broken of c.broken ?? []) {
    checks.push({
      title: `fails with an LmrecError on ${broken.title}`,
      run: async () => {
        const error = await caught(async () => (await broken.create()).load());
        expectLmrecError(error, broken.code);
        if (broken.message) expect(error.message).toMatch(broken.message);
      },
    });
  }
  return { title: `DatasetLoader contract: ${c.name}`, checks };
}

/** Registers the DatasetLoader contract for one loader. */
export function datasetLoaderContract<T>(c: DatasetLoaderCase<T>): void {
  registerSuite(datasetLoaderSuite(c));
}

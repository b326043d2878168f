import { LmrecError, Rng } from '@lmrec/core';

export interface ConversationSplitOptions {
  /** train/valid/test fractions (default 0.8/0.1/0.1). */
  ratios?: [number, number, number];
  seed?: number;
}

/**
 * Splits conversation indices 0..n-1 by conversation (never by turn): a
 * seeded shuffle cut at floor(n * train) and floor(n * (train + valid)).
 * Each part is returned sorted.
 */
export function splitConversations(n: number, options: ConversationSplitOptions = {}): { train: number[]; valid: number[]; test: number[] } {
  const [a, b, c] = options.ratios ?? [0.8, 0.1, 0.1];
  if (![a, b, c].every((r) => r >= 0) || Math.abs(a + b + c - 1) > 1e-9) {
    throw new LmrecError('E_ARGUMENT', `split ratios must be non-negative and sum to 1, got ${[a, b, c].join('/')}`, { field: 'ratios' });
  }
  const order = new Rng(options.seed ?? 0).shuffle(Array.from({ length: n }, (_, i) => i));
  const cut1 = Math.floor(n * a);
  const cut2 = Math.floor(n * (a + b));
  const sorted = (xs: number[]) => xs.sort((x, y) => x - y);
  return { train: sorted(order.slice(0, cut1)), valid: sorted(order.slice(cut1, cut2)), test: sorted(order.slice(cut2)) };
}

export interface RedialLexicalSplitOptions {
  /** How many of the lowest-id test conversations move to train (default 742, as redial_lexical). */
  fromTest?: number;
}

/**
 * The split of the `redial_lexical` reference inputs, on a ReDIAL dataset
 * loaded with train = extra_train, valid = extra_valid, test = test_data:
 * train = the train conversations then the `fromTest` lowest-id test
 * conversations; valid unchanged; test = the remaining (highest-id) test
 * conversations. Inside each part conversations are in ascending id
 * (numeric when every id is an integer). With 1,342 test conversations this
 * gives 1,242 / 100 / 600.
 */
export function redialLexicalSplit(
  dataset: { conversations: readonly { id: string }[]; split: { train: number[]; valid: number[]; test: number[] } },
  options: RedialLexicalSplitOptions = {},
): { train: number[]; valid: number[]; test: number[] } {
  const fromTest = options.fromTest ?? 742;
  const { train, valid, test } = dataset.split;
  if (!Number.isInteger(fromTest) || fromTest < 0 || fromTest > test.length) {
    throw new LmrecError('E_ARGUMENT', `fromTest must be an integer in 0..${test.length} (the test conversations), got ${fromTest}`, { field: 'fromTest' });
  }
  const ids = dataset.conversations.map((c) => c.id);
  const numeric = ids.every((id) => /^\d{1,15}$/.test(id));
  const byId = (xs: number[]) => [...xs].sort((a, b) => (numeric ? Number(ids[a]) - Number(ids[b]) : ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
  const testSorted = byId(test);
  return { train: [...byId(train), ...testSorted.slice(0, fromTest)], valid: byId(valid), test: testSorted.slice(fromTest) };
}

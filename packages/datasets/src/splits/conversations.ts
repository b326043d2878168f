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

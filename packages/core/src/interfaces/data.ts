import type { Csr } from '../kernels/csr.js';

/**
 * The split every collaborative model trains and is evaluated on: dense ids,
 * one CSR (rows = users, columns = items, sorted column ids) per part.
 */
export interface CfSplit {
  readonly nUsers: number;
  readonly nItems: number;
  readonly train: Csr;
  readonly valid: Csr;
  readonly test: Csr;
}

export type Role = 'seeker' | 'recommender';

/** One turn of a conversation, as backbones and gating models see it. */
export interface DialogueTurn {
  role: Role;
  /** Text with item mentions rendered as titles. */
  text: string;
  /** Dense item ids mentioned in this turn. */
  items: readonly number[];
}

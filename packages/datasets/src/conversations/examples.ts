import { LmrecError } from '@lmrec/core';
import type { ConversationDataset, CrsExample } from './types.js';

export interface CrsExampleOptions {
  /** Keep the last this-many history items (RTA reference: 128). */
  maxHistory?: number;
  /**
   * 'all' (default): every mention in the context, in order, a movie
   * mentioned twice appearing twice (CRSLab's `context_items`). 'distinct':
   * each item once, in order of first mention (the official RTA code).
   */
  history?: 'all' | 'distinct';
  /**
   * 'keep' (default, and the official RTA code): a target already mentioned
   * in the context still gives an example. 'drop': it does not (only items
   * new to the conversation are targets).
   */
  targetsInHistory?: 'keep' | 'drop';
}

function check<T extends string>(value: T | undefined, allowed: readonly T[], fallback: T, field: string): T {
  const v = value ?? fallback;
  if (!allowed.includes(v)) throw new LmrecError('E_ARGUMENT', `${field} must be ${allowed.map((a) => `"${a}"`).join(' or ')}, got ${JSON.stringify(value)}`, { field });
  return v;
}

/**
 * The RTA examples of some conversations (spec/RTA.md): every recommender
 * turn that mentions at least one item yields one example per distinct item
 * it mentions (in order of first mention); the context is every earlier
 * turn, the history the items mentioned in that context (see `history`).
 * Targets already in the context are kept unless `targetsInHistory: 'drop'`;
 * removing them from the candidates is an evaluation option.
 */
export function toCrsExamples(dataset: ConversationDataset, conversationIndices: readonly number[], options: CrsExampleOptions = {}): CrsExample[] {
  const maxHistory = options.maxHistory ?? 128;
  if (!Number.isInteger(maxHistory) || maxHistory < 0) {
    throw new LmrecError('E_ARGUMENT', `maxHistory must be a non-negative integer, got ${maxHistory}`, { field: 'maxHistory' });
  }
  const distinct = check(options.history, ['all', 'distinct'], 'all', 'history') === 'distinct';
  const drop = check(options.targetsInHistory, ['keep', 'drop'], 'keep', 'targetsInHistory') === 'drop';
  const out: CrsExample[] = [];
  for (const ci of conversationIndices) {
    const conversation = dataset.conversations[ci];
    if (!conversation) {
      throw new LmrecError('E_RANGE', `conversation index ${ci} is outside 0..${dataset.conversations.length - 1}`, { field: 'conversationIndices' });
    }
    const mentioned: number[] = [];
    const seen = new Set<number>();
    conversation.turns.forEach((turn, t) => {
      if (turn.role === 'recommender' && turn.items.length > 0) {
        const context = conversation.turns.slice(0, t).map(({ role, text, items }) => ({ role, text, items }));
        const history = Int32Array.from(mentioned.slice(Math.max(0, mentioned.length - maxHistory)));
        for (const target of new Set(turn.items)) {
          if (drop && seen.has(target)) continue;
          out.push({ id: `${conversation.id}:${t}:${target}`, conversationId: conversation.id, turnIndex: t, context, history, target });
        }
      }
      for (const item of turn.items) {
        if (!distinct || !seen.has(item)) mentioned.push(item);
        seen.add(item);
      }
    });
  }
  return out;
}

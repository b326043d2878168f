import { LmrecError } from '@lmrec/core';
import type { ConversationDataset, CrsExample } from './types.js';

export interface CrsExampleOptions {
  /** Keep the last this-many history items (RTA reference: 128). */
  maxHistory?: number;
}

/**
 * The RTA examples of some conversations (spec/RTA.md): every recommender
 * turn that mentions at least one item yields one example per distinct item
 * it mentions; the context is every earlier turn, the history the items
 * mentioned in that context in order (a movie mentioned twice appears twice,
 * as in CRSLab's `context_items`). Targets already in the context are kept:
 * excluding them is an evaluation option, not a data decision.
 */
export function toCrsExamples(dataset: ConversationDataset, conversationIndices: readonly number[], options: CrsExampleOptions = {}): CrsExample[] {
  const maxHistory = options.maxHistory ?? 128;
  if (!Number.isInteger(maxHistory) || maxHistory < 0) {
    throw new LmrecError('E_ARGUMENT', `maxHistory must be a non-negative integer, got ${maxHistory}`, { field: 'maxHistory' });
  }
  const out: CrsExample[] = [];
  for (const ci of conversationIndices) {
    const conversation = dataset.conversations[ci];
    if (!conversation) {
      throw new LmrecError('E_RANGE', `conversation index ${ci} is outside 0..${dataset.conversations.length - 1}`, { field: 'conversationIndices' });
    }
    const mentioned: number[] = [];
    conversation.turns.forEach((turn, t) => {
      if (turn.role === 'recommender' && turn.items.length > 0) {
        const context = conversation.turns.slice(0, t).map(({ role, text, items }) => ({ role, text, items }));
        const history = Int32Array.from(mentioned.slice(Math.max(0, mentioned.length - maxHistory)));
        for (const target of new Set(turn.items)) {
          out.push({ id: `${conversation.id}:${t}:${target}`, conversationId: conversation.id, turnIndex: t, context, history, target });
        }
      }
      for (const item of turn.items) mentioned.push(item);
    });
  }
  return out;
}

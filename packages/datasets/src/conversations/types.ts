import type { DialogueTurn } from '@lmrec/core';

/** A turn as stored: the core turn plus the items the seeker said they liked among this turn's mentions. */
export type ConversationTurn = DialogueTurn & { liked?: number[] };

export interface Conversation {
  id: string;
  turns: ConversationTurn[];
  /** Seeker's id in the source when it has one (ReDIAL initiatorWorkerId). */
  seeker?: string;
}

/** Conversations over one item catalogue; `split` holds conversation indices (never turns). */
export interface ConversationDataset {
  name: string;
  items: { ids: string[]; titles: string[] };
  conversations: Conversation[];
  split: { train: number[]; valid: number[]; test: number[] };
}

/** One RTA example: a recommender turn's context and one item that turn mentions. */
export interface CrsExample {
  id: string;
  conversationId: string;
  turnIndex: number;
  context: DialogueTurn[];
  /** Items mentioned in the context, in order of mention (repeats kept unless `history: 'distinct'`), the last `maxHistory`. */
  history: Int32Array;
  target: number;
}

import type { DialogueTurn } from '@lmrec/core';

export interface ContextTextOptions {
  lastTurns?: number;
  roles?: boolean;
}

/** A conversation context as one text: its (last n) turns, one per line, "User:" / "Recommender:" first by default. */
export function contextText(context: readonly DialogueTurn[], options: ContextTextOptions = {}): string {
  const turns = options.lastTurns === undefined ? context : context.slice(-options.lastTurns);
  const roles = options.roles ?? true;
  return turns.map((t) => (roles ? `${t.role === 'seeker' ? 'User' : 'Recommender'}: ${t.text}` : t.text)).join('\n');
}

import { createHash } from 'node:crypto';
import type { DialogueTurn } from '@lmrec/core';

/** A chat prompt: a system message and a user message with a `{context}` slot. */
export interface PromptTemplate {
  system: string;
  /** Must contain `{context}`. */
  user: string;
}

/** The reference prompt of RTA (Llama-2-chat), spec/RTA.md. */
export const RTA_PROMPT: PromptTemplate = {
  system:
    'Pretend you are a movie recommender system. I will give you a conversation between a user and you (a recommender system). Based on the conversation, you reply me with 20 movie titles without extra sentences.',
  user: 'Here is the conversation: {context}',
};

/** `User: ...` / `System: ...` lines, one per turn (seeker = User, recommender = System). */
export function renderContext(turns: readonly DialogueTurn[]): string {
  return turns.map((t) => `${t.role === 'seeker' ? 'User' : 'System'}: ${t.text}`).join('\n');
}

export function renderPrompt(template: PromptTemplate, context: string): { system: string; user: string } {
  return { system: template.system, user: template.user.split('{context}').join(context) };
}

/**
 * Key of a context in precomputed artifacts: sha256 (hex) of its rendered
 * text, so a backbone given turns can find the vector encoded elsewhere.
 */
export function contextKey(turns: readonly DialogueTurn[]): string {
  return createHash('sha256').update(renderContext(turns), 'utf8').digest('hex');
}

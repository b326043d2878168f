import { LmrecError, type DialogueTurn } from '@lmrec/core';

/** A typed conversation: "User: ..." / "System: ..." lines (also Seeker / Recommender); a line without a prefix continues the previous turn. */
export function parseConversation(text: string): DialogueTurn[] {
  const turns: DialogueTurn[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^(user|seeker|system|recommender|assistant)\s*:\s*(.*)$/i.exec(line);
    if (m) turns.push({ role: /^(user|seeker)$/i.test(m[1]) ? 'seeker' : 'recommender', text: m[2], items: [] });
    else if (turns.length) turns[turns.length - 1].text += ` ${line}`;
    else turns.push({ role: 'seeker', text: line, items: [] });
  }
  if (turns.length === 0) throw new LmrecError('E_ARGUMENT', 'the conversation is empty', { hint: 'type lines like "User: I loved Alien, anything like it?"' });
  return turns;
}

const normalise = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

/**
 * Catalogue items a typed conversation mentions by title: the title as
 * written ("Alien (1979)") or without its year ("Alien"), as whole words,
 * case-insensitively. Titles shorter than 3 letters are only matched with
 * their year (too many false hits otherwise).
 */
export function mentionedItems(turns: readonly DialogueTurn[], titles: readonly string[]): number[] {
  const text = ` ${normalise(turns.map((t) => t.text).join(' '))} `;
  const out: number[] = [];
  titles.forEach((title, j) => {
    const full = normalise(title);
    const bare = normalise(title.replace(/\s*\(\d{4}\)\s*$/, ''));
    const hit = (s: string) => s.length > 0 && text.includes(` ${s} `);
    if (hit(full) || (bare.length >= 3 && bare !== full && hit(bare))) out.push(j);
  });
  return out;
}

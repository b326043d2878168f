import type { CfSplit } from '@lmrec/core';
import type { ConversationDataset } from '@lmrec/datasets';

export interface IntentionPair {
  user: number;
  item: number;
  text: string;
}

/** Test pairs of the liked view with the seeker's words from the conversation where the item was liked. */
export function intentionPairs(dataset: ConversationDataset, split: CfSplit, userIds: readonly string[]): IntentionPair[] {
  const userIndex = new Map(userIds.map((id, i) => [id, i]));
  const pairs: IntentionPair[] = [];
  const seen = new Set<string>();
  dataset.conversations.forEach((conversation) => {
    const user = userIndex.get(conversation.seeker ?? `conversation:${conversation.id}`);
    if (user === undefined || user >= split.nUsers) return;
    const words = seekerWords(dataset, conversation);
    if (!words) return;
    for (const turn of conversation.turns) {
      for (const item of turn.liked ?? []) {
        const key = `${user}:${item}`;
        if (split.test.has(user, item) && !seen.has(key)) {
          seen.add(key);
          pairs.push({ user, item, text: words });
        }
      }
    }
  });
  return pairs;
}

/** What the seeker wrote, every mentioned title removed (the target's name never leaks). */
function seekerWords(dataset: ConversationDataset, conversation: ConversationDataset['conversations'][number]): string {
  const titles = new Set(conversation.turns.flatMap((t) => t.items.map((i) => dataset.items.titles[i])));
  return conversation.turns
    .filter((t) => t.role === 'seeker')
    .map((t) => [...titles].reduce((text, title) => text.split(title).join(' '), t.text))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

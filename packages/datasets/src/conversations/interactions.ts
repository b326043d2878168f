import { InteractionBuilder } from '../interactions/builder.js';
import type { InteractionDataset } from '../interactions/dataset.js';
import { Items } from '../interactions/idmap.js';
import type { ConversationDataset } from './types.js';

/**
 * ReDIAL as collaborative-filtering data: users are seekers (the
 * conversation's `seeker` id, else one user per conversation), items the
 * movies they said they liked. A movie liked in several conversations of
 * one seeker counts once (the first). The item table is the full
 * catalogue, so item ids agree with the conversation dataset; the
 * timestamp is the conversation index (file order).
 */
export function likedInteractions(dataset: ConversationDataset, conversationIndices?: readonly number[]): InteractionDataset {
  const catalogue = new Map<string | number, number>(dataset.items.ids.map((id, i) => [id, i]));
  const builder = new InteractionBuilder(dataset.name, { timestamps: true, catalogue });
  const indices = conversationIndices ?? dataset.conversations.map((_, i) => i);
  for (const ci of indices) {
    const conversation = dataset.conversations[ci];
    const user = builder.user(conversation.seeker ?? `conversation:${conversation.id}`);
    for (const turn of conversation.turns) {
      for (const item of turn.liked ?? []) builder.push(user, item, 1, ci, ci + 1);
    }
  }
  const items = new Items(dataset.items.ids, dataset.items.titles);
  return builder.build(`${dataset.name}-liked`, { items, dedup: 'first' });
}

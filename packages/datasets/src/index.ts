export type { Conversation, ConversationTurn, ConversationDataset, CrsExample } from './conversations/types.js';
export { toCrsExamples, type CrsExampleOptions } from './conversations/examples.js';
export { loadRedial, parseRedialRecord, type RedialOptions } from './conversations/redial.js';
export { readCatalogueCsv, type Catalogue } from './conversations/catalogue.js';
export { loadBundledRedial, bundledRedialDir } from './conversations/bundled.js';
export { splitConversations, type ConversationSplitOptions } from './splits/conversations.js';
export { loadAlphaRecDir, type AlphaRecDir, type AlphaRecDirOptions } from './loaders/alpharec.js';

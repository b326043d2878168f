// The browser-safe part of the encoders: pure functions with no Node
// built-ins and no @lmrec/core, so a page (via @lmrec/browser) tokenises an
// intention exactly as the glove encoder does.
export { gloveTokens, normalizeGloveText, foldDiacritics, GLOVE_TOKENIZER, type GloveToken, type GloveTokenKind, type VocabLookup } from './glove/tokenize.js';
export { l2Normalize } from './util/l2.js';

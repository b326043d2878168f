import { definePlugin, pluginModule, type TextEncoder } from '@lmrec/core';
import { LexicalEncoder, type LexicalEncoderOptions } from './lexical/lexical-encoder.js';

export const lexicalPlugin = definePlugin<TextEncoder, LexicalEncoderOptions>(
  'lexical',
  (options) => new LexicalEncoder(options),
  'offline lexical stand-in (hashed word/char n-grams, TF-IDF, random projection); not a language model',
);

/** Binds the encoders' plugin factories under TYPES.TextEncoder. */
export const encodersModule = pluginModule('TextEncoder', [lexicalPlugin]);

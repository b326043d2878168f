import { resolve } from 'node:path';
import { DEPS, depsOf, readLines, suggestKey, writeNpy, type TextEncoder } from '@lmrec/core';
import { UsageError } from '../cli/errors.js';
import { assemble } from '../container.js';
import { encodeMatrix } from '../experiments/vectors.js';
import { COMMON_FLAGS, list, type Command } from './types.js';

/** `lmrec encode`: one text per input line -> [n, d] float32 .npy, through a TextEncoder plugin (cached). */
export const encodeCommand: Command = {
  summary: 'encode texts (one per line, UTF-8) into an .npy matrix with a TextEncoder plugin',
  usage: ['lmrec encode --input texts.txt --output vectors.npy [--encoder lexical] [--options JSON] [--cache DIR] [--plugin PKG ...]'],
  flags: {
    ...COMMON_FLAGS,
    input: { type: 'string', short: 'i', arg: 'FILE', help: 'UTF-8 text file, one text per line' },
    output: { type: 'string', short: 'o', arg: 'FILE', help: '.npy file to write ([lines, dim] float32)' },
    encoder: { type: 'string', default: 'lexical', arg: 'NAME', help: 'TextEncoder plugin (lmrec plugins TextEncoder)' },
    options: { type: 'string', default: '{}', arg: 'JSON', help: "the encoder's options as JSON, checked against its schema" },
    cache: { type: 'string', arg: 'DIR', help: 'embedding cache folder' },
    plugin: { type: 'string', multiple: true, arg: 'PKG', help: 'also load this plugin package or module path' },
  },
  async run({ values, progress, out }) {
    if (!values.input) throw new UsageError('missing --input');
    if (!values.output) throw new UsageError('missing --output');
    let options: unknown;
    try {
      options = JSON.parse(String(values.options));
    } catch (error) {
      throw new UsageError(`--options is not JSON: ${(error as Error).message}`, 'options');
    }
    if (!options || typeof options !== 'object' || Array.isArray(options)) throw new UsageError('--options must be a JSON object, e.g. {"dim": 256}', 'options');
    const input = resolve(String(values.input));
    const texts: string[] = [];
    for await (const { text } of readLines(input)) texts.push(text);
    const { registry } = await assemble(list(values.plugin));
    const name = String(values.encoder);
    if (!registry.has('TextEncoder', name)) {
      const guess = suggestKey(name, registry.names('TextEncoder'));
      throw new UsageError(`no TextEncoder plugin named "${name}"${guess ? ` (did you mean "${guess}"?)` : ''}; known: ${registry.names('TextEncoder').join(', ')}`, 'encoder');
    }
    const deps = depsOf(values.cache ? [[DEPS.EmbeddingCache, { dir: resolve(String(values.cache)) }]] : []);
    const encoder = registry.create<TextEncoder>('TextEncoder', name, options, deps, { field: 'options', owner: `TextEncoder "${name}" (--options)` });
    await encoder.fit?.(texts);
    const { data } = await encodeMatrix(encoder, texts, progress);
    const output = resolve(String(values.output));
    await writeNpy(output, data, [texts.length, encoder.dim]);
    out(`${texts.length} x ${encoder.dim} -> ${output} (encoder ${encoder.id})`);
    return 0;
  },
};

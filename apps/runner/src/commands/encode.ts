import { promises as fs } from 'node:fs';
import { resolve } from 'node:path';
import { writeNpy, type TextEncoder } from '@lmrec/core';
import { assemble } from '../container.js';
import { encodeMatrix } from '../experiments/data.js';
import { COMMON_OPTIONS, type Command } from './types.js';

/** `lmrec encode`: one text per input line -> [n, d] float32 .npy, through a TextEncoder plugin (cached). */
export const encodeCommand: Command = {
  summary: 'encode texts (one per line) into an .npy matrix with a TextEncoder plugin',
  usage: 'lmrec encode --input texts.txt --output vectors.npy [--encoder lexical] [--options JSON] [--cache DIR] [--plugin PKG]',
  options: {
    ...COMMON_OPTIONS,
    input: { type: 'string', short: 'i' },
    output: { type: 'string', short: 'o' },
    encoder: { type: 'string', default: 'lexical' },
    options: { type: 'string', default: '{}' },
    cache: { type: 'string' },
    plugin: { type: 'string', multiple: true },
  },
  async run({ values, progress }) {
    if (!values.input || !values.output) throw new Error(`usage: ${encodeCommand.usage}`);
    const texts = (await fs.readFile(resolve(values.input as string), 'utf8')).split('\n').filter((line, i, all) => line.length > 0 || i < all.length - 1);
    const { registry } = await assemble((values.plugin as unknown as string[] | undefined) ?? []);
    const options = JSON.parse(values.options as string) as Record<string, unknown>;
    if (values.cache) options.cache = { dir: resolve(values.cache as string) };
    const encoder = registry.create<TextEncoder>('TextEncoder', values.encoder as string, options);
    await encoder.fit?.(texts);
    const { data } = await encodeMatrix(encoder, texts, progress);
    await writeNpy(resolve(values.output as string), data, [texts.length, encoder.dim]);
    process.stdout.write(`${texts.length} x ${encoder.dim} -> ${resolve(values.output as string)} (encoder ${encoder.id})\n`);
    return 0;
  },
};

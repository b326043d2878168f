import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { LmrecError } from '@lmrec/core';
import { parseIntStrict, splitDelimited } from '../util/csv.js';
import { parseError } from '../util/fail.js';
import { readTextStrict } from '../util/text.js';

/** Default item-text file of an AlphaRec folder: `new_id <tab> ... <tab> text`, one line per item. */
export const ALPHAREC_ITEM_TEXT = 'item_map.tsv';

const ID_COLUMNS = ['new_id', 'item_id', 'id'];
const TEXT_COLUMNS = ['text', 'title', 'item_text', 'name'];

/**
 * Item texts of an AlphaRec-layout folder, row i = item i: a tab-separated
 * file with a header naming an id column (new_id, item_id or id: the dense
 * id of cf_data) and a text column (text, title, item_text or name). Every
 * id 0..nItems-1 must have exactly one line. Returns undefined when `name`
 * is not given and the default file is absent (texts are optional).
 */
export async function readAlphaRecItemTexts(dir: string, nItems: number, name?: string): Promise<string[] | undefined> {
  const file = join(dir, name ?? ALPHAREC_ITEM_TEXT);
  try {
    await fs.access(file);
  } catch {
    if (name === undefined) return undefined;
    throw new LmrecError('E_IO', `missing item-text file ${name}`, { file, field: 'itemText' });
  }
  const lines = (await readTextStrict(file)).split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  const header = splitDelimited(lines[0] ?? '', '\t', file, 1, false).map((h) => h.trim().toLowerCase());
  const idCol = header.findIndex((h) => ID_COLUMNS.includes(h));
  const textCol = header.findIndex((h) => TEXT_COLUMNS.includes(h));
  if (idCol < 0 || textCol < 0) {
    parseError(`the header needs an id column (${ID_COLUMNS.join(', ')}) and a text column (${TEXT_COLUMNS.join(', ')}); got ${header.join(', ')}`, file, 1, 'header');
  }
  const texts: (string | undefined)[] = new Array(nItems).fill(undefined);
  for (let k = 1; k < lines.length; k++) {
    const fields = splitDelimited(lines[k], '\t', file, k + 1, false);
    const id = parseIntStrict(fields[idCol] ?? '');
    if (id === undefined || id < 0 || id >= nItems) parseError(`item id "${fields[idCol] ?? ''}" is not an integer in 0..${nItems - 1}`, file, k + 1, header[idCol]);
    if (texts[id] !== undefined) parseError(`item ${id} has a second line`, file, k + 1, header[idCol]);
    texts[id] = fields[textCol] ?? '';
  }
  const missing = texts.findIndex((t) => t === undefined);
  if (missing >= 0) {
    throw new LmrecError('E_RANGE', `item ${missing} has no line in ${name ?? ALPHAREC_ITEM_TEXT} (${nItems} items)`, { file, field: header[idCol], hint: 'row i of the item-text file must describe item i of cf_data' });
  }
  return texts as string[];
}

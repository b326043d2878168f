// Real titles for the benchmarks (from ../shared/data; undefined when absent).
import { join } from 'node:path';
import { readLines } from '@lmrec/core';
import { sharedData } from '../../../scripts/bench-utils.js';

export async function ml100kTitles(): Promise<string[] | undefined> {
  const dir = sharedData('ml-100k');
  if (!dir) return undefined;
  const titles: string[] = [];
  for await (const { text } of readLines(join(dir, 'u.item'), { encoding: 'latin1' })) if (text) titles.push(text.split('|')[1]);
  return titles;
}

/** Second CSV field, honouring double quotes. */
function csvField(line: string, index: number): string {
  const fields: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(cur);
      cur = '';
    } else cur += ch;
  }
  fields.push(cur);
  return fields[index];
}

export async function redialTitles(): Promise<string[] | undefined> {
  const dir = sharedData('redial');
  if (!dir) return undefined;
  const titles: string[] = [];
  for await (const { text, line } of readLines(join(dir, 'movies_with_mentions.csv'))) if (line > 1 && text) titles.push(csvField(text, 1).trim());
  return titles;
}

/** ML-100K item texts of the AlphaRec data (`title | genres`) from ml100k-cf/item_map.tsv. */
export async function ml100kCfTexts(): Promise<string[] | undefined> {
  const dir = sharedData('ml100k-cf');
  if (!dir) return undefined;
  const texts: string[] = [];
  for await (const { text, line } of readLines(join(dir, 'item_map.tsv'))) if (line > 1 && text) texts.push(text.split('\t')[2]);
  return texts;
}

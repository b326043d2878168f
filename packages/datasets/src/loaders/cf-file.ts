import { readLines } from '@lmrec/core';
import { parseError } from '../util/fail.js';
import { assertEndsWithNewline } from '../util/files.js';

/** The rows of one `cf_data/*.txt`, with the line each user came from. */
export interface CfRows {
  file: string;
  users: number[];
  items: number[][];
  lines: number[];
}

const MAX_ID = 0x7fffffff;

/**
 * Parses one id token: a decimal integer in canonical form (no sign, no
 * leading zero), as AlphaRec's writer produces. Returns -1 when it is not.
 */
function parseId(token: string): number {
  const n = token.length;
  if (n === 0 || n > 10 || (n > 1 && token.charCodeAt(0) === 48)) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = token.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v > MAX_ID ? -1 : v;
}

function describe(token: string): string {
  if (token === '') return 'an empty field (ids are separated by exactly one space)';
  if (/^\d+$/.test(token)) return /^0\d/.test(token) ? `"${token}" has a leading zero` : `"${token}" is beyond the int32 range`;
  return `"${token.length > 24 ? `${token.slice(0, 24)}...` : token}" is not a non-negative integer id`;
}

/**
 * One `cf_data/*.txt` file of AlphaRec's layout, read strictly: every line is
 * `user item item ...` (single spaces, canonical decimal ids, a trailing CR
 * allowed), no blank lines, no user twice, no item twice on a line, and the
 * file ends with a newline (AlphaRec's writer ends every line, so a last line
 * without one is a file cut short). Every rejection names file, line, field.
 */
export async function readCfFile(file: string): Promise<CfRows> {
  const rows: CfRows = { file, users: [], items: [], lines: [] };
  const lineOf = new Map<number, number>();
  let last = 0;
  for await (const { text, line } of readLines(file)) {
    last = line;
    if (text === '') parseError('blank line (every line is "user item item ...")', file, line);
    const tokens = text.split(' ');
    const ids = tokens.map((token, k) => {
      const id = parseId(token);
      if (id < 0) parseError(describe(token), file, line, k === 0 ? 'user' : `item ${k}`);
      return id;
    });
    const user = ids[0];
    const previous = lineOf.get(user);
    if (previous !== undefined) parseError(`user ${user} already has a line (line ${previous})`, file, line, 'user');
    lineOf.set(user, line);
    const row = ids.slice(1);
    const seen = new Set<number>();
    row.forEach((item, k) => {
      if (seen.has(item)) parseError(`item ${item} repeated for user ${user}`, file, line, `item ${k + 1}`);
      seen.add(item);
    });
    rows.users.push(user);
    rows.items.push(row);
    rows.lines.push(line);
  }
  await assertEndsWithNewline(file, last);
  return rows;
}

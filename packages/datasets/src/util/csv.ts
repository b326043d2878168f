import { parseError } from './fail.js';

/**
 * Splits one delimited line into fields. Double-quoted fields may contain the
 * delimiter and `""` escapes (RFC 4180, one physical line per record). An
 * unterminated quote or stray text after a closing quote is an error, so a
 * damaged line is never read as a shifted record. `quote: false` splits on
 * the delimiter only (tab-separated files whose text holds bare quotes).
 */
export function splitDelimited(text: string, delimiter: string, file: string, line: number, quote: '"' | false = '"'): string[] {
  if (quote === false || text.indexOf('"') < 0) return text.split(delimiter);
  const out: string[] = [];
  let i = 0;
  const n = text.length;
  for (;;) {
    if (text[i] === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) parseError('unterminated quoted field', file, line, `column ${out.length + 1}`);
        value += text.slice(j, q);
        if (text[q + 1] === '"') {
          value += '"';
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      out.push(value);
      if (i === n) return out;
      if (!text.startsWith(delimiter, i)) parseError('text after a closing quote', file, line, `column ${out.length}`);
      i += delimiter.length;
    } else {
      const d = text.indexOf(delimiter, i);
      const end = d < 0 ? n : d;
      const value = text.slice(i, end);
      if (value.includes('"')) parseError('quote inside an unquoted field', file, line, `column ${out.length + 1}`);
      out.push(value);
      if (d < 0) return out;
      i = d + delimiter.length;
    }
  }
}

/** Collapses runs of whitespace and trims (ReDIAL titles often carry a double space before the year). */
export function normalizeTitle(title: string): string {
  return title.replace(/\s+/g, ' ').trim();
}

/** Strict integer parse of a whole field; undefined when the text is not one. */
export function parseIntStrict(text: string): number | undefined {
  if (!/^-?\d+$/.test(text)) return undefined;
  const v = Number(text);
  return Number.isSafeInteger(v) ? v : undefined;
}

/** Strict finite number parse (no empty string, no trailing junk). */
export function parseNumberStrict(text: string): number | undefined {
  if (text.trim() !== text || text === '') return undefined;
  const v = Number(text);
  return Number.isFinite(v) ? v : undefined;
}

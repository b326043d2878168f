/**
 * Parser for Python literal lines as in the Amazon 2014 metadata dumps
 * (`{'asin': '0001', 'title': "Rock 'n' Roll", 'related': {...}, 'price': 9.99}`):
 * dicts, lists, tuples, str ('...' / "..." with backslash escapes, u/b
 * prefixes), int/float, True/False/None. Throws a plain Error with the
 * offset on anything else; callers turn it into a located LmrecError.
 */
export function parsePythonLiteral(text: string): unknown {
  const parser = new PyLiteralParser(text);
  const v = parser.value();
  parser.ws();
  if (parser.i !== text.length) parser.fail('trailing characters');
  return v;
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' };
const NUMBER = /^-?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?)/;

class PyLiteralParser {
  i = 0;

  constructor(private readonly text: string) {}

  ws(): void {
    const t = this.text;
    while (this.i < t.length && (t[this.i] === ' ' || t[this.i] === '\t' || t[this.i] === '\n' || t[this.i] === '\r')) this.i++;
  }

  fail(what: string): never {
    throw new Error(`${what} at offset ${this.i}`);
  }

  value(): unknown {
    this.ws();
    const t = this.text;
    const c = t[this.i];
    if (c === '{') return this.dict();
    if (c === '[' || c === '(') return this.sequence(c === '[' ? ']' : ')');
    if ((c === 'u' || c === 'b') && (t[this.i + 1] === "'" || t[this.i + 1] === '"')) {
      this.i++;
      return this.value();
    }
    if (c === "'" || c === '"') return this.str(c);
    for (const [word, v] of [['True', true], ['False', false], ['None', null]] as const) {
      if (t.startsWith(word, this.i)) {
        this.i += word.length;
        return v;
      }
    }
    const m = NUMBER.exec(t.slice(this.i, this.i + 64));
    if (!m) return this.fail('unexpected character');
    this.i += m[0].length;
    return Number(m[0]);
  }

  private dict(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.items('}', () => {
      const key = this.value();
      if (typeof key !== 'string' && typeof key !== 'number') this.fail('dict key must be a string or number');
      this.ws();
      if (this.text[this.i] !== ':') this.fail('expected ":"');
      this.i++;
      out[String(key)] = this.value();
    });
    return out;
  }

  private sequence(close: string): unknown[] {
    const out: unknown[] = [];
    this.items(close, () => out.push(this.value()));
    return out;
  }

  /** Comma-separated entries after an opening bracket, a trailing comma allowed, up to `close`. */
  private items(close: string, entry: () => void): void {
    this.i++;
    this.ws();
    if (this.text[this.i] === close) {
      this.i++;
      return;
    }
    for (;;) {
      entry();
      this.ws();
      if (this.text[this.i] === ',') {
        this.i++;
        this.ws();
        if (this.text[this.i] === close) break;
        continue;
      }
      if (this.text[this.i] === close) break;
      this.fail(`expected "," or "${close}"`);
    }
    this.i++;
  }

  private str(quote: string): string {
    const t = this.text;
    this.i++;
    let out = '';
    for (;;) {
      if (this.i >= t.length) this.fail('unterminated string');
      const c = t[this.i];
      if (c === quote) {
        this.i++;
        return out;
      }
      if (c === '\\') {
        out += this.escape();
        continue;
      }
      out += c;
      this.i++;
    }
  }

  private escape(): string {
    const e = this.text[this.i + 1];
    this.i += 2;
    if (e in SIMPLE_ESCAPES) return SIMPLE_ESCAPES[e];
    if (e === 'x' || e === 'u') {
      const width = e === 'x' ? 2 : 4;
      const h = this.text.slice(this.i, this.i + width);
      if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(h)) this.fail(`bad \\${e} escape`);
      this.i += width;
      return String.fromCharCode(parseInt(h, 16));
    }
    return `\\${e}`;
  }
}

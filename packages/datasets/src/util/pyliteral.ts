/**
 * Parser for Python literal lines as in the Amazon 2014 metadata dumps
 * (`{'asin': '0001', 'title': "Rock 'n' Roll", 'related': {...}, 'price': 9.99}`):
 * dicts, lists, tuples, str ('...' / "..." with backslash escapes, u/b
 * prefixes), int/float, True/False/None. Throws a plain Error with the
 * offset on anything else; callers turn it into a located LmrecError.
 */
export function parsePythonLiteral(text: string): unknown {
  let i = 0;
  const n = text.length;
  const ws = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const fail = (what: string): never => {
    throw new Error(`${what} at offset ${i}`);
  };
  const value = (): unknown => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const out: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') {
        i++;
        return out;
      }
      for (;;) {
        const key = value();
        if (typeof key !== 'string' && typeof key !== 'number') fail('dict key must be a string or number');
        ws();
        if (text[i] !== ':') fail('expected ":"');
        i++;
        out[String(key)] = value();
        ws();
        if (text[i] === ',') {
          i++;
          ws();
          if (text[i] === '}') {
            i++;
            return out;
          }
          continue;
        }
        if (text[i] === '}') {
          i++;
          return out;
        }
        fail('expected "," or "}"');
      }
    }
    if (c === '[' || c === '(') {
      const close = c === '[' ? ']' : ')';
      i++;
      const out: unknown[] = [];
      ws();
      if (text[i] === close) {
        i++;
        return out;
      }
      for (;;) {
        out.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          ws();
          if (text[i] === close) {
            i++;
            return out;
          }
          continue;
        }
        if (text[i] === close) {
          i++;
          return out;
        }
        fail(`expected "," or "${close}"`);
      }
    }
    if ((c === 'u' || c === 'b') && (text[i + 1] === "'" || text[i + 1] === '"')) {
      i++;
      return value();
    }
    if (c === "'" || c === '"') return str(c);
    if (text.startsWith('True', i)) return (i += 4), true;
    if (text.startsWith('False', i)) return (i += 5), false;
    if (text.startsWith('None', i)) return (i += 4), null;
    const m = /^-?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?)/.exec(text.slice(i, i + 64));
    if (m) {
      i += m[0].length;
      return Number(m[0]);
    }
    return fail('unexpected character');
  };
  const str = (quote: string): string => {
    i++;
    let out = '';
    for (;;) {
      if (i >= n) fail('unterminated string');
      const c = text[i];
      if (c === quote) {
        i++;
        return out;
      }
      if (c === '\\') {
        const e = text[i + 1];
        i += 2;
        switch (e) {
          case 'n':
            out += '\n';
            break;
          case 't':
            out += '\t';
            break;
          case 'r':
            out += '\r';
            break;
          case '\\':
          case "'":
          case '"':
            out += e;
            break;
          case 'x': {
            const h = text.slice(i, i + 2);
            if (!/^[0-9a-fA-F]{2}$/.test(h)) fail('bad \\x escape');
            out += String.fromCharCode(parseInt(h, 16));
            i += 2;
            break;
          }
          case 'u': {
            const h = text.slice(i, i + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(h)) fail('bad \\u escape');
            out += String.fromCharCode(parseInt(h, 16));
            i += 4;
            break;
          }
          default:
            out += `\\${e}`;
        }
        continue;
      }
      out += c;
      i++;
    }
  };
  const v = value();
  ws();
  if (i !== n) fail('trailing characters');
  return v;
}

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readJsonLines, readLines, Rng, type ReadLinesOptions } from '../src/index.js';
import { tempDir } from './helpers.js';

const dir = tempDir();

async function collect(path: string, options?: ReadLinesOptions) {
  const out: { text: string; line: number }[] = [];
  for await (const line of readLines(path, options)) out.push(line);
  return out;
}

async function failure(run: () => Promise<unknown>): Promise<any> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('readLines', () => {
  it('yields numbered lines, strips CRLF, keeps blank lines and a last line without newline', async () => {
    const path = join(dir, 'small.txt');
    writeFileSync(path, 'a b\r\n\nthird\r\nlast');
    expect(await collect(path)).toEqual([
      { text: 'a b', line: 1 },
      { text: '', line: 2 },
      { text: 'third', line: 3 },
      { text: 'last', line: 4 },
    ]);
    writeFileSync(path, 'x\n');
    expect(await collect(path)).toEqual([{ text: 'x', line: 1 }]);
    writeFileSync(path, '');
    expect(await collect(path)).toEqual([]);
  });

  it('joins lines and multi-byte characters across 1 MiB read chunks; plain and gzip agree', async () => {
    const rng = new Rng(1);
    const pieces = ['é', '漢字', '🙂', 'ascii', ' ', 'ß'];
    const lines: string[] = [];
    let size = 0;
    while (size < 2.6 * 2 ** 20) {
      const parts: string[] = [];
      const n = rng.int(4000);
      for (let i = 0; i < n; i++) parts.push(pieces[rng.int(pieces.length)]);
      const line = parts.join('');
      lines.push(line);
      size += Buffer.byteLength(line) + 1;
    }
    const text = lines.join('\n');
    const plain = join(dir, 'big.txt');
    const gz = join(dir, 'big.txt.gz');
    const gzOther = join(dir, 'big.compressed');
    writeFileSync(plain, text);
    writeFileSync(gz, gzipSync(text));
    writeFileSync(gzOther, gzipSync(text));
    const expected = lines.map((t, i) => ({ text: t, line: i + 1 }));
    expect(await collect(plain)).toEqual(expected);
    expect(await collect(gz)).toEqual(expected);
    expect(await collect(gzOther, { gzip: true })).toEqual(expected);
  });

  it('reports invalid UTF-8 with file and line, and reads latin1 when asked', async () => {
    const path = join(dir, 'latin1.txt');
    writeFileSync(path, Buffer.concat([Buffer.from('ok\nfine\ncaf'), Buffer.from([0xe9]), Buffer.from('\nmore\n')]));
    const error = await failure(() => collect(path));
    expect(error).toMatchObject({ name: 'LmrecError', code: 'E_ENCODING', file: path, line: 3 });
    expect(error.message).toContain(`${path}, line 3: invalid UTF-8 bytes`);
    expect((await collect(path, { encoding: 'latin1' }))[2]).toEqual({ text: 'café', line: 3 });
  });

  it('reports a missing file and a corrupt gzip stream as E_IO', async () => {
    expect(await failure(() => collect(join(dir, 'missing.txt')))).toMatchObject({ code: 'E_IO' });
    const bad = join(dir, 'bad.gz');
    writeFileSync(bad, Buffer.from('this is not gzip data at all'));
    const error = await failure(() => collect(bad));
    expect(error).toMatchObject({ code: 'E_IO', file: bad });
  });
});

describe('readJsonLines', () => {
  it('parses each non-blank line and names file:line on a bad one', async () => {
    const path = join(dir, 'rows.jsonl');
    writeFileSync(path, '{"a":1}\r\n\n[2,3]\n"s"\n{"broken": \n{"a":5}');
    const values: unknown[] = [];
    const error = await failure(async () => {
      for await (const { value, line } of readJsonLines(path)) values.push([line, value]);
    });
    expect(values).toEqual([[1, { a: 1 }], [3, [2, 3]], [4, 's']]);
    expect(error).toMatchObject({ code: 'E_PARSE', file: path, line: 5 });
    expect(error.message).toMatch(/rows\.jsonl, line 5: not valid JSON/);
  });

  it('reads gzipped JSON lines without a final newline', async () => {
    const path = join(dir, 'rows.jsonl.gz');
    writeFileSync(path, gzipSync('{"id":1}\n{"id":2}'));
    const ids: number[] = [];
    for await (const { value } of readJsonLines<{ id: number }>(path)) ids.push(value.id);
    expect(ids).toEqual([1, 2]);
  });
});

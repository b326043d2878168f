import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OnnxEncoder, buildInputs, poolHidden } from '../src/index.js';
import { CONTRACT_TEXTS, textEncoderContract } from '@lmrec/testing';
import { referenceEmbed, referenceTokenize, writeTinyBert } from './helpers/tiny-bert.js';

const root = mkdtempSync(join(tmpdir(), 'lmrec-onnx-'));
const model = writeTinyBert(root);
afterAll(() => rmSync(root, { recursive: true, force: true }));

textEncoderContract({
  name: 'onnx (tiny BERT built by the test, mean pooling)',
  create: () => new OnnxEncoder({ modelDir: model.dir }),
  normalized: true,
  tolerance: 1e-6,
});

describe('OnnxEncoder through @huggingface/transformers', () => {
  const texts = [...CONTRACT_TEXTS, 'Amélie (2001)', 'naïve café', 'Łódź', 'the very long plot about toys and monkeys and toys'];

  it('tokenises like BERT WordPiece (checked against an independent tokenizer)', async () => {
    const { AutoTokenizer, env } = await import('@huggingface/transformers');
    env.allowRemoteModels = false;
    env.localModelPath = root + '/';
    const tokenizer = await AutoTokenizer.from_pretrained('tiny-bert', { local_files_only: true });
    for (const text of texts) {
      const ids = Array.from(tokenizer(text, { truncation: true, max_length: model.maxLength }).input_ids.data as BigInt64Array, Number);
      expect(ids).toEqual(referenceTokenize(text, model.maxLength));
    }
    // Long text through buildInputs: Python-style truncation keeps the trailing [SEP].
    const long = 'toy story '.repeat(50);
    const built = buildInputs(tokenizer, [long, 'toy'], model.maxLength);
    expect(built.seq).toBe(24);
    expect(Array.from(built.inputIds.subarray(0, 24), Number)).toEqual(referenceTokenize(long, model.maxLength));
    expect(Array.from(built.inputIds.subarray(24), Number)).toEqual([2, 5, 3, ...new Array(21).fill(0)]);
    expect(Array.from(built.attentionMask.subarray(24), Number)).toEqual([1, 1, 1, ...new Array(21).fill(0)]);
    // Spot-check the reference itself by hand: [CLS] gold ##en ##eye ( 1995 ) [SEP].
    expect(referenceTokenize('GoldenEye (1995)', 24)).toEqual([2, 15, 16, 17, 20, 22, 21, 3]);
  });

  for (const pooling of ['mean', 'cls', 'last'] as const) {
    for (const normalize of [true, false]) {
      it(`matches the graph computed by hand: pooling=${pooling}, normalize=${normalize}`, async () => {
        const encoder = new OnnxEncoder({ modelDir: model.dir, pooling, normalize, batchSize: 4 });
        const rows = await encoder.encode(texts);
        texts.forEach((text, i) => {
          const expected = referenceEmbed(model, text, pooling, normalize);
          for (let j = 0; j < model.hidden; j++) expect(rows[i][j]).toBeCloseTo(expected[j], 5);
        });
        await encoder.dispose();
      });
    }
  }

  it('truncates long inputs to maxLength tokens', async () => {
    const long = 'toy story '.repeat(500) + 'monkeys';
    const encoder = new OnnxEncoder({ modelDir: model.dir, pooling: 'last', normalize: false });
    expect(encoder.maxLength).toBe(24);
    const [row] = await encoder.encode([long]);
    const ids = referenceTokenize(long, 24);
    expect(ids).toHaveLength(24);
    const expected = referenceEmbed(model, long, 'last', false); // last token is [SEP], not "monkeys"
    for (let j = 0; j < model.hidden; j++) expect(row[j]).toBeCloseTo(expected[j], 5);
    const shorter = new OnnxEncoder({ modelDir: model.dir, maxLength: 6 });
    expect(shorter.id).not.toBe(encoder.id);
    const [a] = await shorter.encode(['toy story toy story monkeys monkeys']);
    const [b] = await shorter.encode(['toy story toy story']);
    for (let j = 0; j < model.hidden; j++) expect(a[j]).toBeCloseTo(b[j], 6);
  });

  it('puts a content hash of the model files in its id', () => {
    const other = writeTinyBert(root, 'tiny-bert-2', 8, 24, 6);
    const a = new OnnxEncoder({ modelDir: model.dir });
    const b = new OnnxEncoder({ modelDir: other.dir });
    expect(a.id).toMatch(/^onnx\(model=tiny-bert@[0-9a-f]{16},pooling=mean,maxLength=24,l2\)$/);
    expect(b.id).not.toBe(a.id.replace('tiny-bert@', 'tiny-bert-2@'));
    expect(new OnnxEncoder({ modelDir: model.dir, pooling: 'cls' }).id).not.toBe(a.id);
  });

  it('explains a missing @huggingface/transformers and missing model files', async () => {
    const encoder = new OnnxEncoder({
      modelDir: model.dir,
      importTransformers: () => Promise.reject(Object.assign(new Error("Cannot find package '@huggingface/transformers'"), { code: 'ERR_MODULE_NOT_FOUND' })),
    });
    await expect(encoder.encode(['toy'])).rejects.toMatchObject({ code: 'E_MISSING_DEPENDENCY', message: expect.stringMatching(/pnpm add @huggingface\/transformers/) });
    const empty = mkdtempSync(join(root, 'empty-'));
    expect(() => new OnnxEncoder({ modelDir: empty })).toThrow(/config\.json/);
    writeFileSync(join(empty, 'config.json'), JSON.stringify({ hidden_size: 4 }));
    expect(() => new OnnxEncoder({ modelDir: empty })).toThrow(/tokenizer\.json/);
  });
});

describe('poolHidden', () => {
  it('pools by hand with left and right padding', () => {
    // b=2, s=3, h=2; row 0 right-padded (mask 1 1 0), row 1 left-padded (0 1 1).
    const hidden = Float32Array.from([1, 2, 3, 4, 50, 60, 70, 80, 5, 6, 7, 8]);
    const mask = [1, 1, 0, 0, 1, 1];
    expect(poolHidden(hidden, mask, 2, 3, 2, 'mean').map((r) => Array.from(r))).toEqual([
      [2, 3],
      [6, 7],
    ]);
    expect(poolHidden(hidden, mask, 2, 3, 2, 'cls').map((r) => Array.from(r))).toEqual([
      [1, 2],
      [70, 80],
    ]);
    expect(poolHidden(hidden, mask, 2, 3, 2, 'last').map((r) => Array.from(r))).toEqual([
      [3, 4],
      [7, 8],
    ]);
  });
});

describe('buildInputs', () => {
  it('pads on the left when the tokenizer says so, with its pad id, keeping trailing specials', () => {
    const t = (ids: number[]) => ({ input_ids: { data: BigInt64Array.from(ids.map(BigInt)) } });
    const fake = Object.assign((text: string) => t(text === 'long' ? [1, 10, 11, 12, 13, 2] : [1, 10, 2]), { all_special_ids: [1, 2], pad_token_id: 9, padding_side: 'left' });
    const built = buildInputs(fake, ['short', 'long'], 4);
    expect(built.tokenTypeIds).toBeUndefined();
    expect(Array.from(built.inputIds, Number)).toEqual([9, 1, 10, 2, 1, 10, 11, 2]);
    expect(Array.from(built.attentionMask, Number)).toEqual([0, 1, 1, 1, 1, 1, 1, 1]);
  });
});

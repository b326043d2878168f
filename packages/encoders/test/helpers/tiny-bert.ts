import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '@lmrec/core';
import { ONNX_FLOAT, ONNX_INT64, onnxModel } from '../../src/testing/index.js';

export const VOCAB = [
  '[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]',
  'toy', 'story', 'the', 'monkeys', 'twelve', 'four', 'rooms', 'get', 'short', '##y', 'gold', '##en', '##eye',
  'copy', '##cat', '(', ')', '1995', '2001', 'a', 'yao', 'dao', 'am', '##elie', 'cafe', 'naive', 'very', 'long',
  'plot', 'about', 'and', 'toys', 'lo', '##dz', '##s', 'shanghai', 'triad',
];

export interface TinyBert {
  dir: string;
  hidden: number;
  maxLength: number;
  emb: Float32Array;
  typeEmb: Float32Array;
  w: Float32Array;
  bias: Float32Array;
}

/**
 * Writes a BERT-shaped feature-extraction model folder: token embeddings +
 * token-type embeddings -> MatMul -> Add -> Tanh, masked by attention_mask,
 * exported as `last_hidden_state`; a WordPiece tokenizer.json; config.json.
 */
export function writeTinyBert(root: string, name = 'tiny-bert', hidden = 8, maxLength = 24, seed = 5): TinyBert {
  const dir = join(root, name);
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  const rng = new Rng(seed);
  const V = VOCAB.length;
  const draw = (n: number) => Float32Array.from({ length: n }, () => rng.normal() * 0.5);
  const emb = draw(V * hidden);
  const typeEmb = draw(2 * hidden);
  const w = draw(hidden * hidden);
  const bias = draw(hidden);
  const model = onnxModel({
    nodes: [
      { op: 'Gather', inputs: ['word_embeddings', 'input_ids'], outputs: ['we'], attributes: [{ name: 'axis', int: 0 }] },
      { op: 'Gather', inputs: ['token_type_embeddings', 'token_type_ids'], outputs: ['te'], attributes: [{ name: 'axis', int: 0 }] },
      { op: 'Add', inputs: ['we', 'te'], outputs: ['e'] },
      { op: 'MatMul', inputs: ['e', 'dense_w'], outputs: ['m'] },
      { op: 'Add', inputs: ['m', 'dense_b'], outputs: ['a'] },
      { op: 'Tanh', inputs: ['a'], outputs: ['t'] },
      { op: 'Cast', inputs: ['attention_mask'], outputs: ['mf'], attributes: [{ name: 'to', int: ONNX_FLOAT }] },
      { op: 'Unsqueeze', inputs: ['mf', 'last_axis'], outputs: ['mu'] },
      { op: 'Mul', inputs: ['t', 'mu'], outputs: ['last_hidden_state'] },
    ],
    initializers: [
      { name: 'word_embeddings', dims: [V, hidden], data: emb },
      { name: 'token_type_embeddings', dims: [2, hidden], data: typeEmb },
      { name: 'dense_w', dims: [hidden, hidden], data: w },
      { name: 'dense_b', dims: [hidden], data: bias },
      { name: 'last_axis', dims: [1], data: BigInt64Array.from([2n]) },
    ],
    inputs: [
      { name: 'input_ids', elemType: ONNX_INT64, shape: ['batch', 'sequence'] },
      { name: 'attention_mask', elemType: ONNX_INT64, shape: ['batch', 'sequence'] },
      { name: 'token_type_ids', elemType: ONNX_INT64, shape: ['batch', 'sequence'] },
    ],
    outputs: [{ name: 'last_hidden_state', elemType: ONNX_FLOAT, shape: ['batch', 'sequence', hidden] }],
  });
  writeFileSync(join(dir, 'onnx', 'model.onnx'), model);
  const vocab = Object.fromEntries(VOCAB.map((t, i) => [t, i]));
  const special = (content: string) => ({ id: vocab[content], content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].map(special),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [vocab['[CLS]']], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [vocab['[SEP]']], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
  writeFileSync(
    join(dir, 'tokenizer_config.json'),
    JSON.stringify({ tokenizer_class: 'BertTokenizer', do_lower_case: true, model_max_length: maxLength, cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', unk_token: '[UNK]', mask_token: '[MASK]' }),
  );
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({ model_type: 'bert', architectures: ['BertModel'], hidden_size: hidden, vocab_size: V, max_position_embeddings: maxLength, type_vocab_size: 2, num_hidden_layers: 1, num_attention_heads: 1, intermediate_size: hidden }),
  );
  return { dir, hidden, maxLength, emb, typeEmb, w, bias };
}

/** Independent BERT basic tokenizer + greedy WordPiece, as the test's second implementation. */
export function referenceTokenize(text: string, maxLength: number): number[] {
  const ids = new Map(VOCAB.map((t, i) => [t, i]));
  const cleaned = text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '')
    .replace(/([\p{P}\p{S}]|[\u4e00-\u9fff\u3040-\u30ff])/gu, ' $1 ');
  const out: number[] = [];
  for (const word of cleaned.split(/\s+/).filter(Boolean)) {
    const pieces: number[] = [];
    let start = 0;
    let ok = true;
    while (start < word.length) {
      let end = word.length;
      let found: number | undefined;
      while (end > start) {
        const piece = (start > 0 ? '##' : '') + word.slice(start, end);
        found = ids.get(piece);
        if (found !== undefined) break;
        end--;
      }
      if (found === undefined) {
        ok = false;
        break;
      }
      pieces.push(found);
      start = end;
    }
    out.push(...(ok ? pieces : [ids.get('[UNK]')!]));
  }
  return [ids.get('[CLS]')!, ...out.slice(0, maxLength - 2), ids.get('[SEP]')!];
}

/** The same computation as the ONNX graph, by hand in float64. */
export function referenceEmbed(m: TinyBert, text: string, pooling: 'mean' | 'cls' | 'last', normalize: boolean): Float64Array {
  const ids = referenceTokenize(text, m.maxLength);
  const h = m.hidden;
  const states = ids.map((id) => {
    const out = new Float64Array(h);
    for (let j = 0; j < h; j++) {
      let acc = m.bias[j];
      for (let i = 0; i < h; i++) acc += (m.emb[id * h + i] + m.typeEmb[i]) * m.w[i * h + j];
      out[j] = Math.tanh(acc);
    }
    return out;
  });
  let v: Float64Array;
  if (pooling === 'cls') v = states[0];
  else if (pooling === 'last') v = states[states.length - 1];
  else {
    v = new Float64Array(h);
    for (const s of states) for (let j = 0; j < h; j++) v[j] += s[j] / states.length;
  }
  if (normalize) {
    const n = Math.hypot(...v);
    v = v.map((x) => x / n);
  }
  return v;
}

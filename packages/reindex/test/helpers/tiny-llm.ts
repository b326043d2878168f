import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng, writeSafetensors } from '@lmrec/core';
import { ONNX_FLOAT, ONNX_INT64, onnxModel } from '@lmrec/encoders/testing';

export const LLM_VOCAB = ['<unk>', '<s>', 'user', 'system', 'assistant', ':', 'here', 'is', 'the', 'conversation', 'toy', 'story', '(', ')', '1995', 'matrix', '1999', 'heat', 'i', 'loved', 'want', 'a', 'movie', ',', '?', 'like', 'jumanji', 'blade', 'runner', '1982', 'pie', 'american'];

/** Jinja chat template: one "<s>role: content" line per message, then "assistant:". */
export const CHAT_TEMPLATE = "{% for m in messages %}<s>{{ m['role'] }}: {{ m['content'] }}\n{% endfor %}{% if add_generation_prompt %}assistant:{% endif %}";

export interface TinyLlm {
  dir: string;
  hidden: number;
  /** [V * hidden], multiples of 1/16 (exact in BF16). */
  emb: Float32Array;
  w: Float32Array;
  bias: Float32Array;
}

/**
 * A causal "language model" folder transformers.js loads as a llama
 * `AutoModel`: h_t = tanh((sum_{s <= t} E[x_s]) W + b) (CumSum over the
 * sequence, so position t only sees its prefix), exported as
 * `last_hidden_state`; a word-level tokenizer with a chat template; the
 * embedding table also in `model.safetensors` (BF16) as
 * `model.embed_tokens.weight`, as a Hugging Face checkpoint stores it.
 */
export async function writeTinyLlm(root: string, name = 'tiny-llm', hidden = 8, seed = 3): Promise<TinyLlm> {
  const dir = join(root, name);
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  const rng = new Rng(seed);
  const V = LLM_VOCAB.length;
  const emb = Float32Array.from({ length: V * hidden }, () => (rng.int(33) - 16) / 16);
  const w = Float32Array.from({ length: hidden * hidden }, () => rng.normal() * 0.3);
  const bias = Float32Array.from({ length: hidden }, () => rng.normal() * 0.1);
  const model = onnxModel({
    nodes: [
      { op: 'Gather', inputs: ['embed_tokens', 'input_ids'], outputs: ['e'], attributes: [{ name: 'axis', int: 0 }] },
      { op: 'CumSum', inputs: ['e', 'seq_axis'], outputs: ['c'] },
      { op: 'MatMul', inputs: ['c', 'w'], outputs: ['m'] },
      { op: 'Add', inputs: ['m', 'b'], outputs: ['a'] },
      { op: 'Tanh', inputs: ['a'], outputs: ['last_hidden_state'] },
    ],
    initializers: [
      { name: 'embed_tokens', dims: [V, hidden], data: emb },
      { name: 'w', dims: [hidden, hidden], data: w },
      { name: 'b', dims: [hidden], data: bias },
      { name: 'seq_axis', dims: [], data: BigInt64Array.from([1n]) },
    ],
    inputs: [
      { name: 'input_ids', elemType: ONNX_INT64, shape: ['batch', 'sequence'] },
      { name: 'attention_mask', elemType: ONNX_INT64, shape: ['batch', 'sequence'] },
    ],
    outputs: [{ name: 'last_hidden_state', elemType: ONNX_FLOAT, shape: ['batch', 'sequence', hidden] }],
  });
  writeFileSync(join(dir, 'onnx', 'model.onnx'), model);
  const vocab = Object.fromEntries(LLM_VOCAB.map((t, i) => [t, i]));
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      { id: 0, content: '<unk>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
      { id: 1, content: '<s>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
    ],
    normalizer: { type: 'Lowercase' },
    pre_tokenizer: { type: 'Whitespace' },
    post_processor: null,
    decoder: null,
    model: { type: 'WordLevel', vocab, unk_token: '<unk>' },
  };
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ tokenizer_class: 'PreTrainedTokenizer', bos_token: '<s>', unk_token: '<unk>', chat_template: CHAT_TEMPLATE, model_max_length: 4096 }));
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({ model_type: 'llama', architectures: ['LlamaModel'], hidden_size: hidden, vocab_size: V, num_hidden_layers: 1, num_attention_heads: 2, num_key_value_heads: 2, head_dim: hidden / 2, max_position_embeddings: 4096 }),
  );
  await writeSafetensors(join(dir, 'model.safetensors'), {
    'model.norm.weight': { dtype: 'BF16', shape: [hidden], data: new Float32Array(hidden).fill(1) },
    'model.embed_tokens.weight': { dtype: 'BF16', shape: [V, hidden], data: emb },
  });
  return { dir, hidden, emb, w, bias };
}

/** Independent word-level tokenizer: lower case, \w+ | [^\w\s]+ pieces, <s> kept whole. */
export function referenceIds(text: string): number[] {
  const ids = new Map(LLM_VOCAB.map((t, i) => [t, i]));
  const out: number[] = [];
  for (const part of text.split(/(<s>)/)) {
    if (part === '<s>') {
      out.push(1);
      continue;
    }
    for (const piece of part.toLowerCase().match(/\w+|[^\w\s]+/g) ?? []) out.push(ids.get(piece) ?? 0);
  }
  return out;
}

/** The graph's last-position state, by hand in float64. */
export function referenceLastState(m: TinyLlm, ids: number[]): Float64Array {
  const h = m.hidden;
  const sum = new Float64Array(h);
  for (const id of ids) for (let j = 0; j < h; j++) sum[j] += m.emb[id * h + j];
  const out = new Float64Array(h);
  for (let j = 0; j < h; j++) {
    let acc = m.bias[j];
    for (let i = 0; i < h; i++) acc += sum[i] * m.w[i * h + j];
    out[j] = Math.tanh(acc);
  }
  return out;
}

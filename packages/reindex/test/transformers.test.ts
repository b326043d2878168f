import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderContext, renderPrompt, RTA_PROMPT, TransformersBackbone } from '../src/index.js';
import { backboneContract } from '@lmrec/testing';
import { CONTEXTS, TITLES } from './helpers.js';
import { referenceIds, referenceLastState, writeTinyLlm, type TinyLlm } from './helpers/tiny-llm.js';

const root = mkdtempSync(join(tmpdir(), 'reindex-llm-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let tiny: TinyLlm;
const ready = writeTinyLlm(root).then((m) => (tiny = m));

backboneContract({
  name: 'transformers (tiny local causal LM)',
  create: async () => {
    await ready;
    return new TransformersBackbone({ modelDir: tiny.dir });
  },
  contexts: CONTEXTS,
  titles: TITLES,
});

describe('transformers backbone against a hand computation', () => {
  beforeAll(async () => {
    await ready;
  });

  it('q = final hidden state at the last position of the chat-templated RTA prompt', async () => {
    const b = new TransformersBackbone({ modelDir: tiny.dir });
    expect(b.dim).toBe(8);
    const { system, user } = renderPrompt(RTA_PROMPT, renderContext(CONTEXTS[0]));
    const text = `<s>system: ${system}\n<s>user: ${user}\nassistant:`;
    const ids = referenceIds(text);
    expect(await b.promptIds(CONTEXTS[0])).toEqual(ids);
    const [q] = await b.contextVectors([CONTEXTS[0]]);
    const expected = referenceLastState(tiny, ids);
    expected.forEach((v, j) => expect(q[j]).toBeCloseTo(v, 5));
  });

  it('left-truncates the context to maxContextTokens', async () => {
    const b = new TransformersBackbone({ modelDir: tiny.dir, maxContextTokens: 3 });
    const ids = await b.promptIds([{ role: 'seeker', text: 'I loved Toy Story (1995)', items: [0] }]);
    // context "User: I loved Toy Story (1995)" keeps its last 3 tokens: "( 1995 )"
    const { system, user } = renderPrompt(RTA_PROMPT, '( 1995 )');
    expect(ids).toEqual(referenceIds(`<s>system: ${system}\n<s>user: ${user}\nassistant:`));
  });

  it('titles use the tokenizer without special tokens; rows come from the BF16 safetensors table', async () => {
    const b = new TransformersBackbone({ modelDir: tiny.dir });
    const [ids] = await b.tokenize(['Toy Story (1995)']);
    expect(ids).toEqual(referenceIds('Toy Story (1995)'));
    const rows = await b.tokenEmbeddings(ids);
    expect([...rows]).toEqual(ids.flatMap((id) => [...tiny.emb.subarray(id * 8, (id + 1) * 8)]));
  });

  it('without the chat template the prompt is system + blank line + user', async () => {
    const b = new TransformersBackbone({ modelDir: tiny.dir, chatTemplate: false });
    const { system, user } = renderPrompt(RTA_PROMPT, renderContext(CONTEXTS[1]));
    expect(await b.promptIds(CONTEXTS[1])).toEqual(referenceIds(`${system}\n\n${user}`));
  });

  it('a missing model folder is a located error', () => {
    expect(() => new TransformersBackbone({ modelDir: join(root, 'nope') })).toThrow(/config.json.*cannot read the model config/);
  });
});

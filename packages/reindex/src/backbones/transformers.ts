import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { LmrecError, type Backbone, type DialogueTurn, type ProgressReporter } from '@lmrec/core';
import { renderContext, renderPrompt, RTA_PROMPT, type PromptTemplate } from '../prompt.js';
import { readTensorRows, safetensorsNames } from './safetensors-rows.js';

export interface TransformersBackboneOptions {
  /**
   * Local model folder (never downloaded): `config.json`, `tokenizer.json` +
   * `tokenizer_config.json`, `onnx/<modelFileName>.onnx` exported as a base
   * model whose output is `last_hidden_state` (e.g. `optimum-cli export onnx
   * --task feature-extraction`), and the safetensors weights for the token table.
   */
  modelDir: string;
  prompt?: PromptTemplate;
  /** Context tokens kept (left-truncated), reference 512. */
  maxContextTokens?: number;
  /** Name of the embedding tensor; default: detected (model.embed_tokens.weight, transformer.wte.weight, ...). */
  embeddingTensor?: string;
  /** Weights file; default modelDir/model.safetensors or modelDir/model.safetensors.index.json. */
  weights?: string;
  /** ONNX file under onnx/ without extension. Default "model". */
  modelFileName?: string;
  /** transformers.js dtype of the ONNX weights. Default "fp32". */
  dtype?: string;
  /** Use the tokenizer's chat template when it has one. Default true. */
  chatTemplate?: boolean;
}

const EMBEDDING_NAMES = ['model.embed_tokens.weight', 'embed_tokens.weight', 'transformer.wte.weight', 'wte.weight', 'gpt_neox.embed_in.weight', 'model.decoder.embed_tokens.weight', 'transformer.word_embeddings.weight'];

/**
 * A causal LM run in process by `@huggingface/transformers` (an optional
 * peer dependency, imported on first use) from local files only:
 * q = final hidden state (after the last norm) at the last prompt position;
 * titles tokenized by the model's tokenizer without special tokens; token
 * rows read from the safetensors weights (positioned reads, shards followed).
 * Contexts run one at a time (no padding, so "last position" is exact).
 */
export class TransformersBackbone implements Backbone {
  readonly dim: number;
  readonly modelDir: string;
  private readonly prompt: PromptTemplate;
  private runtime?: Promise<{ tokenizer: any; model: any }>;
  private embeddingName?: string;

  constructor(readonly options: TransformersBackboneOptions) {
    this.modelDir = resolve(options.modelDir);
    const configFile = join(this.modelDir, 'config.json');
    let config: Record<string, unknown>;
    try {
      config = JSON.parse(readFileSync(configFile, 'utf8'));
    } catch (error) {
      throw new LmrecError('E_MODEL', `cannot read the model config: ${(error as Error).message}`, { file: configFile, cause: error });
    }
    const dim = Number(config.hidden_size ?? config.n_embd ?? config.d_model);
    if (!(Number.isInteger(dim) && dim > 0)) throw new LmrecError('E_MODEL', 'config has no hidden_size / n_embd / d_model', { file: configFile, field: 'hidden_size' });
    this.dim = dim;
    this.prompt = options.prompt ?? RTA_PROMPT;
  }

  get id(): string {
    return `transformers:${this.modelDir}:${this.options.modelFileName ?? 'model'}:${this.options.dtype ?? 'fp32'}:ctx=${this.options.maxContextTokens ?? 512}`;
  }

  private load(): Promise<{ tokenizer: any; model: any }> {
    this.runtime ??= (async () => {
      let hf: any;
      try {
        hf = await import('@huggingface/transformers');
      } catch (error) {
        throw new LmrecError('E_MISSING_PEER', 'the "transformers" backbone needs @huggingface/transformers', { hint: 'pnpm add @huggingface/transformers', cause: error });
      }
      hf.env.allowRemoteModels = false;
      hf.env.allowLocalModels = true;
      hf.env.localModelPath = `${dirname(this.modelDir)}/`;
      const name = basename(this.modelDir);
      try {
        const tokenizer = await hf.AutoTokenizer.from_pretrained(name, { local_files_only: true });
        const model = await hf.AutoModel.from_pretrained(name, { local_files_only: true, dtype: this.options.dtype ?? 'fp32', model_file_name: this.options.modelFileName ?? 'model' });
        return { tokenizer, model };
      } catch (error) {
        throw new LmrecError('E_MODEL', `cannot load the local model: ${(error as Error).message}`, { file: this.modelDir, cause: error });
      }
    })();
    return this.runtime;
  }

  /** The prompt's token ids for a context (left-truncated context, chat template if any). */
  async promptIds(turns: readonly DialogueTurn[]): Promise<number[]> {
    const { tokenizer } = await this.load();
    let context = renderContext(turns);
    const max = this.options.maxContextTokens ?? 512;
    const ctxIds: number[] = tokenizer.encode(context, { add_special_tokens: false });
    if (ctxIds.length > max) context = tokenizer.decode(ctxIds.slice(ctxIds.length - max), { skip_special_tokens: true });
    const { system, user } = renderPrompt(this.prompt, context);
    if ((this.options.chatTemplate ?? true) && tokenizer.chat_template) {
      const text: string = tokenizer.apply_chat_template(
        [
          { role: 'system', content: system },
          { role: 'user', content: user },
        ],
        { add_generation_prompt: true, tokenize: false },
      );
      // the template already holds the special tokens (BOS, role markers)
      return Array.from(tokenizer.encode(text, { add_special_tokens: false }) as number[]);
    }
    return tokenizer.encode(`${system}\n\n${user}`);
  }

  async contextVectors(contexts: readonly (readonly DialogueTurn[])[], options: { progress?: ProgressReporter; signal?: AbortSignal } = {}): Promise<Float32Array[]> {
    const { model } = await this.load();
    const hf: any = await import('@huggingface/transformers');
    const task = options.progress?.start('llm contexts', contexts.length, 'contexts');
    const out: Float32Array[] = [];
    for (const turns of contexts) {
      if (options.signal?.aborted) throw new LmrecError('E_ABORTED', 'context encoding aborted');
      const ids = await this.promptIds(turns);
      const L = ids.length;
      const inputIds = new hf.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, L]);
      const attention = new hf.Tensor('int64', new BigInt64Array(L).fill(1n), [1, L]);
      const result = await model({ input_ids: inputIds, attention_mask: attention });
      const hidden = result.last_hidden_state;
      if (!hidden) throw new LmrecError('E_MODEL', `the ONNX model returns no last_hidden_state (outputs: ${Object.keys(result).join(', ')})`, { file: this.modelDir, hint: 'export the base model (task feature-extraction), not the LM head' });
      const [, T, d] = hidden.dims as number[];
      if (d !== this.dim) throw new LmrecError('E_MODEL', `hidden state width ${d} differs from config hidden_size ${this.dim}`, { file: this.modelDir });
      const data = hidden.data as Float32Array;
      out.push(Float32Array.from(data.subarray((T - 1) * d, T * d)));
      task?.tick();
    }
    task?.end();
    return out;
  }

  async tokenize(titles: readonly string[]): Promise<number[][]> {
    const { tokenizer } = await this.load();
    return titles.map((t) => Array.from(tokenizer.encode(t, { add_special_tokens: false }) as number[]));
  }

  async tokenEmbeddings(ids: readonly number[]): Promise<Float32Array> {
    const weights = this.weightsPath();
    this.embeddingName ??= this.options.embeddingTensor ?? (await this.detectEmbedding(weights));
    return (await readTensorRows(weights, this.embeddingName, ids)).data;
  }

  private weightsPath(): string {
    if (this.options.weights) return resolve(this.options.weights);
    for (const f of ['model.safetensors', 'model.safetensors.index.json']) {
      const p = join(this.modelDir, f);
      if (existsSync(p)) return p;
    }
    throw new LmrecError('E_MODEL', 'no safetensors weights for the token table', { file: this.modelDir, hint: 'add model.safetensors (or its index) or pass `weights`' });
  }

  private async detectEmbedding(weights: string): Promise<string> {
    const names = await safetensorsNames(weights);
    const found = EMBEDDING_NAMES.find((n) => names.includes(n)) ?? names.find((n) => /embed_tokens\.weight$|wte\.weight$/.test(n));
    if (!found) throw new LmrecError('E_MODEL', 'cannot find the token embedding tensor', { file: weights, hint: 'pass embeddingTensor' });
    return found;
  }
}

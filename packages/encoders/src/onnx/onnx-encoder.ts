import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { LmrecError, type EncodeOptions, type TextEncoder } from '@lmrec/core';
import { encodeInBatches, l2Normalize } from '../util/batch.js';
import { buildInputs } from './inputs.js';
import { poolHidden, type Pooling } from './pooling.js';

export type { Pooling } from './pooling.js';

export interface OnnxEncoderOptions {
  /** Local model folder: config.json, tokenizer.json (+ tokenizer_config.json), onnx/<modelFile>.onnx. */
  modelDir: string;
  /** ONNX file name in `onnx/`, without `.onnx`. Default "model". */
  modelFile?: string;
  /** How token states become one vector. Default 'mean' (over the attention mask). */
  pooling?: Pooling;
  /** L2-normalise each row. Default true. */
  normalize?: boolean;
  /** Truncate inputs to this many tokens. Default: tokenizer_config's model_max_length, capped at 512. */
  maxLength?: number;
  /** Model output holding the token states. Default "last_hidden_state". */
  outputName?: string;
  /** Texts per model call. Default 32. */
  batchSize?: number;
  /** Skip hashing the ONNX file by naming its content yourself (goes into `id`). */
  modelHash?: string;
  /** How to load `@huggingface/transformers` (tests inject a failing loader). */
  importTransformers?: () => Promise<any>;
}

interface Loaded {
  tokenizer: any;
  model: any;
  Tensor: new (type: string, data: BigInt64Array, dims: number[]) => unknown;
}

// transformers.js reads local models through its global `env`; loads are serialised so two
// encoders with different folders never see each other's settings.
let envLock: Promise<unknown> = Promise.resolve();

const defaultImport = () => import('@huggingface/transformers');

/**
 * A local ONNX model run in-process through `@huggingface/transformers`
 * (transformers.js + onnxruntime-node), local files only: nothing is
 * downloaded. Tokenises with the folder's tokenizer.json, runs the model,
 * pools token states (mean / cls / last) and optionally L2-normalises.
 * `@huggingface/transformers` is an optional peer dependency.
 */
export class OnnxEncoder implements TextEncoder {
  readonly id: string;
  readonly dim: number;
  readonly modelDir: string;
  readonly modelFile: string;
  readonly pooling: Pooling;
  readonly normalize: boolean;
  readonly maxLength: number;
  readonly outputName: string;
  private readonly batchSize: number;
  private readonly importTransformers: () => Promise<any>;
  private loading: Promise<Loaded> | undefined;

  constructor(options: OnnxEncoderOptions) {
    this.modelDir = resolve(options.modelDir);
    this.modelFile = options.modelFile ?? 'model';
    this.pooling = options.pooling ?? 'mean';
    if (!['mean', 'cls', 'last'].includes(this.pooling)) {
      throw new LmrecError('E_ARGUMENT', `onnx encoder: unknown pooling "${this.pooling}"`, { field: 'pooling', hint: 'mean, cls or last' });
    }
    this.normalize = options.normalize ?? true;
    this.outputName = options.outputName ?? 'last_hidden_state';
    this.batchSize = options.batchSize ?? 32;
    this.importTransformers = options.importTransformers ?? defaultImport;
    const config = readJson(join(this.modelDir, 'config.json'));
    const hidden = config.hidden_size ?? config.d_model ?? config.n_embd ?? config.dim;
    if (!Number.isInteger(hidden) || hidden < 1) {
      throw new LmrecError('E_MODEL_FILES', 'config.json has no hidden_size (or d_model / n_embd / dim)', { file: join(this.modelDir, 'config.json'), field: 'hidden_size' });
    }
    this.dim = hidden;
    const tokenizerConfigPath = join(this.modelDir, 'tokenizer_config.json');
    const tokenizerConfig = existsSync(tokenizerConfigPath) ? readJson(tokenizerConfigPath) : {};
    for (const file of ['tokenizer.json', join('onnx', `${this.modelFile}.onnx`)]) {
      if (!existsSync(join(this.modelDir, file))) {
        throw new LmrecError('E_MODEL_FILES', `model folder has no ${file}`, { file: join(this.modelDir, file), hint: 'a model folder holds config.json, tokenizer.json and onnx/model.onnx (e.g. from optimum-cli export onnx)' });
      }
    }
    const declared = Number(tokenizerConfig.model_max_length);
    this.maxLength = options.maxLength ?? (Number.isFinite(declared) && declared > 0 ? Math.min(declared, 512) : 512);
    const modelHash = options.modelHash ?? hashFiles([join('onnx', `${this.modelFile}.onnx`), 'tokenizer.json', 'config.json'].map((f) => join(this.modelDir, f)));
    this.id = `onnx(model=${basename(this.modelDir)}@${modelHash},pooling=${this.pooling},maxLength=${this.maxLength},${this.normalize ? 'l2' : 'raw'})`;
  }

  async encode(texts: readonly string[], options?: EncodeOptions): Promise<Float32Array[]> {
    options?.signal?.throwIfAborted();
    if (texts.length === 0) return [];
    const { tokenizer, model, Tensor } = await this.load();
    return encodeInBatches(texts, options, this.batchSize, 'onnx encode', async (batch) => {
      const inputs = buildInputs(tokenizer, batch, this.maxLength);
      const dims = [inputs.batch, inputs.seq];
      const feeds: Record<string, unknown> = { input_ids: new Tensor('int64', inputs.inputIds, dims), attention_mask: new Tensor('int64', inputs.attentionMask, dims) };
      if (inputs.tokenTypeIds) feeds.token_type_ids = new Tensor('int64', inputs.tokenTypeIds, dims);
      const outputs = await model(feeds);
      const hidden = outputs[this.outputName];
      if (!hidden) {
        throw new LmrecError('E_MODEL_OUTPUT', `model has no output "${this.outputName}" (outputs: ${Object.keys(outputs).join(', ')})`, { field: 'outputName' });
      }
      const [b, s, h] = hidden.dims as number[];
      if (b !== batch.length || h !== this.dim) {
        throw new LmrecError('E_MODEL_OUTPUT', `model output ${this.outputName} has shape [${hidden.dims}], expected [${batch.length}, seq, ${this.dim}]`);
      }
      const rows = poolHidden(hidden.data as Float32Array, inputs.attentionMask, b, s, h, this.pooling);
      return this.normalize ? rows.map(l2Normalize) : rows;
    });
  }

  /** Frees the ONNX session. */
  async dispose(): Promise<void> {
    const loading = this.loading;
    this.loading = undefined;
    if (loading) await (await loading).model.dispose?.();
  }

  private load(): Promise<Loaded> {
    this.loading ??= this.doLoad().catch((error) => {
      this.loading = undefined;
      throw error;
    });
    return this.loading;
  }

  private async doLoad(): Promise<Loaded> {
    let hf: any;
    try {
      hf = await this.importTransformers();
    } catch (error) {
      throw new LmrecError('E_MISSING_DEPENDENCY', `the onnx encoder needs @huggingface/transformers, which could not be loaded: ${(error as Error).message}`, {
        hint: 'install it next to @lmrec/encoders: pnpm add @huggingface/transformers',
        cause: error,
      });
    }
    const run = async (): Promise<Loaded> => {
      const { env, AutoTokenizer, AutoModel, Tensor } = hf;
      env.allowRemoteModels = false;
      env.allowLocalModels = true;
      env.localModelPath = dirname(this.modelDir) + '/';
      const name = basename(this.modelDir);
      try {
        const tokenizer = await AutoTokenizer.from_pretrained(name, { local_files_only: true });
        const model = await AutoModel.from_pretrained(name, { local_files_only: true, dtype: 'fp32', device: 'cpu', model_file_name: this.modelFile });
        return { tokenizer, model, Tensor };
      } catch (error) {
        throw new LmrecError('E_MODEL_LOAD', `cannot load the model: ${(error as Error).message}`, { file: this.modelDir, cause: error });
      }
    };
    const result = envLock.then(run, run);
    envLock = result.catch(() => undefined);
    return result;
  }
}

function readJson(path: string): any {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new LmrecError('E_MODEL_FILES', `cannot read JSON: ${(error as Error).message}`, { file: path, cause: error });
  }
}

/** First 16 hex of sha256 over the files' bytes (streamed: weights can be gigabytes). */
function hashFiles(paths: string[]): string {
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(1 << 22);
  for (const path of paths) {
    const fd = openSync(path, 'r');
    try {
      let n: number;
      while ((n = readSync(fd, buf, 0, buf.length, null)) > 0) hash.update(buf.subarray(0, n));
    } finally {
      closeSync(fd);
    }
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

import type { PromptTemplate } from '../prompt.js';

export const ARTIFACTS_FORMAT = 'lmrec-rta-artifacts';
export const MANIFEST_FILE = 'manifest.json';
export const TENSORS_FILE = 'artifacts.safetensors';

/**
 * `manifest.json` of an artifacts folder. Arrays are in the order of the
 * tensors' rows: `titles[i]` owns `title_token_ids[title_offsets[i] :
 * title_offsets[i + 1]]`, `example_ids[r]` owns row r of `context_vectors`.
 */
export interface ArtifactsManifest {
  format: typeof ARTIFACTS_FORMAT;
  version: 1;
  /** The language model, e.g. "meta-llama/Llama-2-7b-chat-hf". */
  model: string;
  prompt: PromptTemplate;
  /** Hidden width d. */
  dim: number;
  /** Full vocabulary size of the tokenizer (informational). */
  vocab_size?: number;
  /** Context window the prompts were left-truncated to (tokens). */
  max_context_tokens?: number;
  titles: string[];
  example_ids: string[];
  /** sha256 of renderContext(turns) per example (lets `contextVectors(turns)` find a row). */
  context_keys?: string[];
}

import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic, type Backbone, type DialogueTurn, type ProgressReporter } from '@lmrec/core';
import { contextKey, renderContext, renderPrompt, RTA_PROMPT, type PromptTemplate } from '../prompt.js';
import { writeArtifacts } from './artifacts.js';

export interface ExportOptions {
  titles: readonly string[];
  examples: readonly { id: string; context: readonly DialogueTurn[] }[];
  model?: string;
  prompt?: PromptTemplate;
  progress?: ProgressReporter;
}

/**
 * Freezes any backbone's outputs (titles' token ids, the used token rows,
 * each example's q) into an artifacts folder, e.g. to run an in-process LLM
 * once and train from the files afterwards.
 */
export async function exportBackboneArtifacts(backbone: Backbone, dir: string, options: ExportOptions): Promise<void> {
  const titleTokenIds = await backbone.tokenize(options.titles);
  const used = [...new Set(titleTokenIds.flat())].sort((a, b) => a - b);
  const tokenEmbeddings = await backbone.tokenEmbeddings(used);
  const contextVectors = await backbone.contextVectors(
    options.examples.map((e) => e.context),
    { progress: options.progress },
  );
  await writeArtifacts(dir, {
    manifest: { model: options.model ?? backbone.id, prompt: options.prompt ?? RTA_PROMPT },
    dim: backbone.dim,
    titles: [...options.titles],
    titleTokenIds,
    tokenEmbeddings,
    tokenIds: used,
    exampleIds: options.examples.map((e) => e.id),
    contextVectors,
    contextKeys: options.examples.map((e) => contextKey(e.context)),
  });
}

/**
 * Inputs for an external (Python) exporter: `prompts.jsonl` (one line per
 * example: id, key, system, user, context) and `titles.json`. The README's
 * snippet reads these and writes the artifacts folder.
 */
export async function writeExportInputs(dir: string, options: { titles: readonly string[]; examples: readonly { id: string; context: readonly DialogueTurn[] }[]; prompt?: PromptTemplate }): Promise<void> {
  const template = options.prompt ?? RTA_PROMPT;
  const lines = options.examples.map((e) => {
    const context = renderContext(e.context);
    const { system, user } = renderPrompt(template, context);
    return JSON.stringify({ id: e.id, key: contextKey(e.context), system, user, context });
  });
  await fs.mkdir(dir, { recursive: true });
  await writeFileAtomic(join(dir, 'prompts.jsonl'), lines.join('\n') + (lines.length ? '\n' : ''));
  await writeJsonAtomic(join(dir, 'titles.json'), { prompt: template, titles: options.titles });
}

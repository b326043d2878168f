import { createHash } from 'node:crypto';
import { LmrecError, silentProgress, type CrsCatalogue, type CrsModel, type CrsScoreOptions, type DialogueTurn } from '@lmrec/core';
import { JsonPostClient, runPool } from '@lmrec/encoders';
import { TitleMatcher } from '../matcher.js';
import { renderContext, renderPrompt, RTA_PROMPT } from '../prompt.js';
import type { LlmGeneratorOptions } from './options.js';

/** RTA's prompt (spec/RTA.md) asking for `count` titles: its system message, and the conversation as `User:` / `System:` lines. */
export function generatorMessages(turns: readonly DialogueTurn[], count: number, system?: string): { system: string; user: string } {
  const prompt = renderPrompt(RTA_PROMPT, renderContext(turns));
  return { system: system ?? RTA_PROMPT.system.replace('20 movie titles', `${count} movie titles`), user: prompt.user };
}

/** The titles of a completion: its non-empty lines, list markers and trailing explanations cut. */
export function completionTitles(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*(?:\d+[.)]|[-*•])\s*/, '').replace(/\*\*/g, ''))
    .map((line) => line.split(/\s+[-–—:]\s+/)[0].trim())
    .filter((line) => line.length > 0);
}

export interface GeneratorStats {
  requests: number;
  titles: number;
  matched: number;
  /** Matched titles whose item an earlier title of the same answer already took. */
  repeated: number;
}

/**
 * A zero-shot LLM as a conversational recommender (RTA Table 3's Llama-2,
 * Mistral, MPT and GPT-3.5 rows): each context goes to an OpenAI-compatible
 * `POST /chat/completions`, which is asked for `count` titles; the answer's
 * titles are matched to the catalogue with the TitleMatcher, and item ids
 * score by their list position (the first `count`, the rest 0, tied). One
 * request per distinct context, cached, so the two candidate protocols of an
 * evaluation cost one call.
 */
export class LlmGenerator implements CrsModel {
  readonly name = 'llm-generator';
  readonly id: string;
  readonly stats: GeneratorStats = { requests: 0, titles: 0, matched: 0, repeated: 0 };
  private readonly client: JsonPostClient;
  private matcher: TitleMatcher | undefined;
  private nItems = 0;
  private readonly answers = new Map<string, Promise<Int32Array>>();

  constructor(private readonly options: LlmGeneratorOptions) {
    this.client = new JsonPostClient({ baseUrl: options.baseUrl, path: '/chat/completions', owner: 'llm-generator', apiKeyEnv: options.apiKeyEnv, maxRetries: options.maxRetries, timeoutMs: options.timeoutMs ?? 120_000 });
    const o = options;
    const empty = generatorMessages([], this.count, o.system);
    const prompt = createHash('sha256').update(`${empty.system}\u0000${RTA_PROMPT.user}`).digest('hex').slice(0, 12);
    this.id = `llm-generator(url=${this.client.url},model=${o.model},n=${this.count},t=${o.temperature ?? 0},max=${o.maxTokens ?? 600},prompt=${prompt},last=${o.lastTurns ?? 'all'},match=${o.threshold ?? 0.2}/${o.yearTolerance ?? 1})`;
  }

  get count(): number {
    return this.options.count ?? 20;
  }

  async prepare(catalogue: CrsCatalogue): Promise<void> {
    this.matcher = new TitleMatcher(catalogue.titles, { threshold: this.options.threshold, yearTolerance: this.options.yearTolerance });
    this.nItems = catalogue.titles.length;
    this.answers.clear();
  }

  async scoreContexts(contexts: readonly (readonly DialogueTurn[])[], options: CrsScoreOptions = {}): Promise<Float32Array> {
    if (!this.matcher) throw new LmrecError('E_STATE', 'llm-generator: call prepare(catalogue) before scoreContexts', { hint: 'the title matcher is built there' });
    const key = this.client.apiKey();
    const task = (options.progress ?? silentProgress).start('llm-generator', contexts.length, 'contexts');
    try {
      const lists = await runPool(contexts.length, this.options.concurrency ?? 4, options.signal, async (i, signal) => {
        const turns = this.options.lastTurns === undefined ? contexts[i] : contexts[i].slice(-this.options.lastTurns);
        const list = await this.ranked(generatorMessages(turns, this.count, this.options.system), key, signal, options.progress?.log?.bind(options.progress));
        task.tick();
        return list;
      });
      const out = new Float32Array(contexts.length * this.nItems);
      lists.forEach((list, r) => list.forEach((item, rank) => (out[r * this.nItems + item] = this.count - rank)));
      return out;
    } finally {
      task.end();
    }
  }

  /** The matched, de-duplicated items of the answer for one prompt (asked once). */
  private ranked(messages: { system: string; user: string }, key: string | undefined, signal: AbortSignal, log?: (m: string) => void): Promise<Int32Array> {
    const cacheKey = `${messages.system}\u0000${messages.user}`;
    let answer = this.answers.get(cacheKey);
    if (!answer) {
      answer = this.ask(messages, key, signal, log);
      answer.catch(() => this.answers.delete(cacheKey));
      this.answers.set(cacheKey, answer);
    }
    return answer;
  }

  private async ask(messages: { system: string; user: string }, key: string | undefined, signal: AbortSignal, log?: (m: string) => void): Promise<Int32Array> {
    const o = this.options;
    const body = {
      model: o.model,
      messages: [
        { role: 'system', content: messages.system },
        { role: 'user', content: messages.user },
      ],
      temperature: o.temperature ?? 0,
      max_tokens: o.maxTokens ?? 600,
    };
    const json = (await this.client.post(body, key, signal, log)) as { choices?: { message?: { content?: unknown } }[] };
    const content = json?.choices?.[0]?.message?.content;
    if (typeof content !== 'string') throw new LmrecError('E_HTTP', `POST ${this.client.url}: the answer has no choices[0].message.content string`, { field: 'choices' });
    this.stats.requests++;
    const titles = completionTitles(content).slice(0, this.count);
    const items: number[] = [];
    for (const title of titles) {
      const match = this.matcher!.match(title);
      if (!match) continue;
      this.stats.matched++;
      if (items.includes(match.item)) this.stats.repeated++;
      else items.push(match.item);
    }
    this.stats.titles += titles.length;
    return Int32Array.from(items);
  }
}

import { appendFileSync } from 'node:fs';
import type { EncodeOptions, TextEncoder } from '@lmrec/core';

/**
 * A deterministic toy encoder (character histogram) that counts what it is
 * asked to encode, optionally slowly and with a log file (for a child
 * process the test kills).
 */
export class CountingEncoder implements TextEncoder {
  readonly id: string;
  calls = 0;
  texts: string[] = [];

  constructor(
    readonly dim = 24,
    private readonly delayMs = 0,
    private readonly logFile?: string,
  ) {
    this.id = `counting(dim=${dim})`;
  }

  static embed(text: string, dim: number): Float32Array {
    const row = new Float32Array(dim);
    Array.from(text).forEach((ch, i) => {
      row[(ch.codePointAt(0)! * 7 + i) % dim] += 1 + (i % 3);
    });
    row[0] += text.length / 7;
    return row;
  }

  async encode(texts: readonly string[], options?: EncodeOptions): Promise<Float32Array[]> {
    options?.signal?.throwIfAborted();
    this.calls++;
    this.texts.push(...texts);
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.logFile) appendFileSync(this.logFile, `${texts.length}\n`);
    return texts.map((t) => CountingEncoder.embed(t, this.dim));
  }
}

import { describe, expect, it } from 'vitest';
import { CapturingProgress, type CrsModel } from '@lmrec/core';
import { parseConfig } from '../src/config/load.js';
import { assemble } from '../src/container.js';
import { createContext } from '../src/context.js';
import { crsMaterial, crsModelsOf } from '../src/experiments/rta-crs.js';
import { plannedRows } from '../src/plan/labels.js';
import type { RtaStudy } from '../src/config/study.js';
import { tempDir } from './fixtures.js';

const CONFIG = `name: r
experiment: rta
dataset: { loader: redial-sample }
study:
  variants: [Popularity, Dense]
  crs:
    Dense: { plugin: dense-retriever, options: { lastTurns: 2 }, encoder: { name: lexical, options: { dim: 32 } } }
    LLM: { plugin: llm-generator, options: { baseUrl: "http://127.0.0.1:9/v1", model: m } }
`;

async function context(text: string) {
  const config = parseConfig(text);
  return createContext({ config, file: 'r.yaml', outDir: tempDir('lmrec-rta-crs-'), registry: (await assemble()).registry, progress: new CapturingProgress() });
}

describe('CRS rows from a runner config (study.crs)', () => {
  it('builds each CrsModel plugin with its encoder, lists the rows after the zero-shot row, and keys them by plugin and encoder', async () => {
    const ctx = await context(CONFIG);
    const study = ctx.config.study as RtaStudy;
    const models = (await crsModelsOf(ctx, study))!;
    expect(Object.keys(models)).toEqual(['Dense', 'LLM']);
    expect(models.Dense.id).toMatch(/^dense-retriever\(lexical.*last=2/);
    expect(models.LLM.id).toContain('model=m');
    const material = (await crsMaterial(ctx, study)) as Record<string, { model: { plugin: { name: string }; options: unknown }; encoder: { plugin: { name: string } } | null }>;
    expect([material.Dense.model.plugin.name, material.Dense.encoder?.plugin.name, material.LLM.encoder]).toEqual(['dense-retriever', 'lexical', null]);
    expect(material.Dense.model.options).toMatchObject({ lastTurns: 2 });
    expect(plannedRows(ctx.config).map((r) => r.label)).toEqual(['Popularity', 'Dense', 'Reindex']);
    const all = plannedRows(parseConfig(CONFIG.replace('  variants: [Popularity, Dense]\n', ''))).map((r) => r.label);
    expect(all.slice(all.indexOf('Zero-shot (sum)'), all.indexOf('Zero-shot (sum)') + 4)).toEqual(['Zero-shot (sum)', 'Dense', 'LLM', 'Reindex']);
  });

  it('a dense retriever built from the config ranks the item a context names first (lexical encoder)', async () => {
    const ctx = await context(CONFIG);
    const dense: CrsModel = (await crsModelsOf(ctx, ctx.config.study as RtaStudy))!.Dense;
    const titles = ['The Godfather (1972)', 'Toy Story (1995)', 'Finding Nemo (2003)'];
    await dense.prepare({ titles });
    const scores = await dense.scoreContexts([[{ role: 'seeker', text: 'I loved Finding Nemo', items: [] }]]);
    expect(scores.indexOf(Math.max(...scores))).toBe(2);
  });

  it('an unknown option of a CRS row or its encoder is a config error naming the field', async () => {
    const bad = await context(CONFIG.replace('lastTurns: 2', 'lastTurn: 2')).then((ctx) => crsModelsOf(ctx, ctx.config.study as RtaStudy)).catch((e: unknown) => e as Error & { field?: string });
    expect((bad as { field?: string }).field).toContain('study.crs.Dense.options');
    expect((bad as Error).message).toContain('lastTurn');
    expect(() => parseConfig(CONFIG.replace('plugin: llm-generator,', 'plugin: llm-generator, extra: 1,'))).toThrow(/extra/);
  });
});

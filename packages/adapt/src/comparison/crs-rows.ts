import type { CrsModel } from '@lmrec/core';
import type { CrsExample } from '@lmrec/datasets';
import { checkAborted, type ComparisonContext } from './context.js';
import { evaluateRow } from './evaluate.js';
import type { RtaVariantResult } from './types.js';

/**
 * Scores test examples with a CrsModel: each distinct context (a turn's
 * several targets share one) is scored once and its row kept, so the two
 * candidate protocols of `evaluateRow` ask the model once.
 */
function contextScorer(ctx: ComparisonContext, model: CrsModel, examples: readonly CrsExample[]) {
  const n = ctx.nItems;
  const rows = new Map<string, Float32Array>();
  const keyOf = (e: CrsExample) => `${e.conversationId}\u0000${e.turnIndex}`;
  return {
    nItems: n,
    async scoreExamples(indices: Int32Array): Promise<Float32Array> {
      const missing = new Map<string, CrsExample>();
      for (const i of indices) {
        const e = examples[i];
        if (!rows.has(keyOf(e))) missing.set(keyOf(e), e);
      }
      if (missing.size) {
        const list = [...missing.values()];
        const scores = await model.scoreContexts(list.map((e) => e.context), { signal: ctx.options.signal });
        list.forEach((e, r) => rows.set(keyOf(e), scores.slice(r * n, (r + 1) * n)));
      }
      const out = new Float32Array(indices.length * n);
      indices.forEach((i, r) => out.set(rows.get(keyOf(examples[i]))!, r * n));
      return out;
    },
  };
}

/** The zero-training CRS rows (dense retrievers, zero-shot LLMs): prepared on the catalogue, evaluated on test like every row. */
export async function crsModelRows(ctx: ComparisonContext, models: Record<string, CrsModel>, wanted: (name: string) => boolean): Promise<RtaVariantResult[]> {
  const out: RtaVariantResult[] = [];
  for (const [name, model] of Object.entries(models)) {
    if (!wanted(name)) continue;
    out.push(
      await ctx.step(name, { ...ctx.base, row: name, crsModel: model.id }, async () => {
        const t0 = performance.now();
        await model.prepare({ titles: ctx.dataset.items.titles }, { progress: ctx.progress, signal: ctx.options.signal });
        const result = await evaluateRow(ctx, { name, kind: 'crs' }, contextScorer(ctx, model, ctx.parts.test.examples), t0);
        checkAborted(ctx, name);
        return result;
      }),
    );
  }
  return out;
}

import { LmrecError, type TextEncoder } from '@lmrec/core';
import { trainMultiDomain, zeroShot, type AlphaRecOptions, type Domain } from '@lmrec/alpharec';
import { evaluateFullRanking } from '@lmrec/eval';
import type { ExperimentRunner } from '../context.js';
import type { ModelRow } from '../report/types.js';
import { cfExperiment, fitOptions, toRow, trainAndTest } from './cf.js';
import { encodeMatrix, loadCfData, type CfData } from './data.js';

/**
 * AlphaRec's Potential 1: train one MLP on the source datasets (`datasets`;
 * negatives within each user's own domain), then apply it frozen to the
 * target (`dataset`): its item texts through the encoder, its own graph, no
 * training on it. The text encoder is fitted on source texts only. Models in
 * `models` other than AlphaRec are trained on the target as reference rows.
 */
export const runZeroShot: ExperimentRunner = async (ctx) => {
  if (ctx.config.datasets.length === 0) throw new LmrecError('E_CONFIG', 'zero-shot needs source datasets under "datasets"', { field: 'datasets' });
  const sources: CfData[] = [];
  for (const [i, ds] of ctx.config.datasets.entries()) sources.push(await loadCfData(ctx, ds, `datasets.${i}`));
  const target = await loadCfData(ctx, ctx.config.dataset, 'dataset');

  let encoder: TextEncoder | undefined;
  const vectors = async (data: CfData) => (encoder ? encodeMatrix(encoder, data.titles ?? [], ctx.progress) : data.itemEmbeddings);
  if (ctx.config.encoder) {
    encoder = await ctx.create<TextEncoder>('TextEncoder', ctx.config.encoder, 'encoder');
    await encoder.fit?.(sources.flatMap((s) => s.titles ?? []));
  }
  const domains: Domain[] = [];
  for (const s of sources) {
    const itemEmbeddings = await vectors(s);
    if (!itemEmbeddings) throw new LmrecError('E_CONFIG', `source ${s.name} has no item vectors: set "encoder"`, { field: 'encoder' });
    domains.push({ name: s.name, split: s.split, itemEmbeddings });
  }
  const targetEmbeddings = await vectors(target);
  if (!targetEmbeddings) throw new LmrecError('E_CONFIG', `target ${target.name} has no item vectors: set "encoder"`, { field: 'encoder' });

  const alphaConfig = ctx.config.models.find((m) => m.name === 'alpharec') ?? { name: 'alpharec', label: 'AlphaRec', options: {} };
  const label = `${alphaConfig.label ?? 'AlphaRec'} (zero-shot from ${sources.map((s) => s.name).join(' + ')})`;
  const rows: ModelRow[] = [];
  rows.push(
    await ctx.step('zero-shot', async (checkpointDir) => {
      const t0 = performance.now();
      const { model, result } = await trainMultiDomain(domains, alphaConfig.options as AlphaRecOptions, fitOptions(ctx, checkpointDir, 'zero-shot-sources'));
      const transferred = zeroShot(model, { name: target.name, split: target.split, itemEmbeddings: targetEmbeddings }, { encoder });
      const test = await evaluateFullRanking(transferred, target.split, { on: 'test', ks: ctx.config.eval.ks ?? [10, 20, 50], progress: ctx.progress });
      const row = toRow(label, test, result, (performance.now() - t0) / 1000, ctx.config.eval.metric ?? 'recall@20');
      row.extra = { ...row.extra, note: 'valid metric is the sources\' valid; no training on the target' };
      return row;
    }),
  );
  for (const model of ctx.config.models.filter((m) => m.name !== 'alpharec')) rows.push(await trainAndTest(ctx, target, { ...model, label: `${model.label ?? model.name} (trained on target)` }));
  const exp = cfExperiment(ctx, `Zero-shot transfer to ${target.name}`, target, rows);
  return [{ ...exp, baseline: ctx.config.eval.baseline ?? rows[1]?.label ?? rows[0].label }];
};

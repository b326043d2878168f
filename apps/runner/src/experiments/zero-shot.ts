import { LmrecError, type Recommender, type TextEncoder } from '@lmrec/core';
import { AlphaRec, isDomainTransfer, trainMultiDomain, zeroShot, type Domain } from '@lmrec/alpharec';
import { evaluateFullRanking } from '@lmrec/eval';
import type { ModelConfig } from '../config/schema.js';
import { safeName, type ExperimentContext, type ExperimentRunner } from '../context.js';
import type { ModelRow } from '../report/types.js';
import { hashOf } from '../steps/hash.js';
import { evalKs, fitOptions, fitSettings, selectionMetric, toRow, trainAndTest } from './cf-row.js';
import { cfExperiment } from './cf-table.js';
import { loadCfData, type CfData } from './data.js';
import { encodeMatrix, encodingStep, fittedEncoder, vectorSources, type Vectors } from './vectors.js';

/**
 * AlphaRec's Potential 1: train one model on the source datasets (`datasets`;
 * negatives within each user's own domain), then apply it frozen to the
 * target (`dataset`): its item texts through the encoder, its own graph, no
 * training on it. The text encoder is fitted on source texts only. The row
 * transferred is `study.transfer` (default: the first of `models`); the
 * others are trained on the target as reference rows.
 */
export const runZeroShot: ExperimentRunner = async (ctx) => {
  const sources: CfData[] = [];
  for (const [i, ds] of ctx.config.datasets.entries()) sources.push(await loadCfData(ctx, ds, `datasets.${i}`));
  const target = await loadCfData(ctx, ctx.config.dataset, 'dataset');
  const models = ctx.config.models;
  const study = ctx.config.study as { transfer?: string };
  const index = Math.max(0, models.findIndex((m) => (m.label ?? m.name) === study.transfer));
  const rows: ModelRow[] = [await transferRow(ctx, sources, target, models[index], `models.${index}`)];
  for (const [i, model] of models.entries()) {
    if (i === index) continue;
    const label = model.label ?? model.name;
    const row = await trainAndTest(ctx, target, model, `models.${i}`, vectorSources(ctx, target, ctx.config.encoder), `${label} (trained on target)`);
    rows.push({ ...row, source: label });
  }
  return [cfExperiment(ctx, `Zero-shot transfer to ${target.name}`, target, rows, rows[1]?.label ?? rows[0]?.label)];
};

/** Item vectors of every domain: the config's encoder (fitted on the sources' texts) or each dataset's own vectors. */
function domainVectors(ctx: ExperimentContext, sources: CfData[]) {
  const ref = ctx.config.encoder;
  const corpus = sources.flatMap((s) => s.titles ?? []);
  const encoder = ref ? fittedEncoder(ctx, ref, 'encoder', corpus) : undefined;
  const encoderMaterial = async () => (ref ? { ...(await ctx.material('TextEncoder', ref, 'encoder')), fittedOn: hashOf(corpus) } : null);
  const of = async (data: CfData, field: string): Promise<Vectors> => {
    if (!ref) {
      if (!data.itemEmbeddings) throw new LmrecError('E_CONFIG', `${data.name} has no item vectors: set "encoder"`, ctx.where('encoder'));
      return data.itemEmbeddings;
    }
    return encodingStep(ctx, `${field} (${ref.name})`, { encoder: await encoderMaterial(), texts: hashOf(data.titles ?? []) }, async () => encodeMatrix(await encoder!(), data.titles ?? [], ctx.progress));
  };
  return { of, encoder, encoderMaterial };
}

async function transferRow(ctx: ExperimentContext, sources: CfData[], target: CfData, model: ModelConfig, field: string): Promise<ModelRow> {
  const label = `${model.label ?? model.name} (zero-shot from ${sources.map((s) => s.name).join(' + ')})`;
  const vectors = domainVectors(ctx, sources);
  const material = {
    ...(await ctx.material('Recommender', model, field)),
    fit: fitSettings(ctx),
    eval: { on: 'test', ks: evalKs(ctx) },
    deps: { encoder: await vectors.encoderMaterial() },
    data: { sources: sources.map((s) => s.material), target: target.material },
  };
  const outcome = await ctx.steps.run({ id: `model-${safeName(label)}`, label: `${field} (${label})` }, material, async (checkpointDir) => {
    const probe = await ctx.create<Recommender>('Recommender', model, field);
    if (!(probe instanceof AlphaRec) && !isDomainTransfer(probe)) {
      throw new LmrecError('E_CONFIG', `zero-shot transfers a model trained on other domains (alpharec, unisrec, zesrec); ${field} ("${model.name}") builds a ${probe.name} model`, { ...ctx.where(`${field}.name`), hint: 'set study.transfer to the label of such a row' });
    }
    const domains: Domain[] = [];
    for (const [i, s] of sources.entries()) domains.push({ name: s.name, split: s.split, itemEmbeddings: await vectors.of(s, `datasets.${i}`) });
    const t0 = performance.now();
    const targetVectors = await vectors.of(target, 'dataset');
    let transferred: Recommender & { dispose?(): void };
    let result: Parameters<typeof toRow>[2];
    if (probe instanceof AlphaRec) {
      const trained = await trainMultiDomain(domains, probe.config, fitOptions(ctx, checkpointDir, 'zero-shot-sources'));
      const encoder: TextEncoder | undefined = vectors.encoder ? await vectors.encoder() : undefined;
      transferred = zeroShot(trained.model, { name: target.name, split: target.split, itemEmbeddings: targetVectors }, { encoder });
      result = trained.result;
    } else {
      // training-free models (zesrec) return no fit result: the row then has no valid metric
      result = (await probe.fitDomains(domains, fitOptions(ctx, checkpointDir, 'zero-shot-sources'))) ?? {};
      transferred = probe.transferTo(target.split, targetVectors);
    }
    const test = await evaluateFullRanking(transferred, target.split, { on: 'test', ks: evalKs(ctx), progress: ctx.progress });
    const row = toRow(label, test, result, (performance.now() - t0) / 1000, selectionMetric(ctx));
    transferred.dispose?.();
    return { ...row, extra: { ...row.extra, note: "valid metric is the sources' valid; no training on the target" } };
  });
  return { ...outcome.value, source: model.label ?? model.name, step: { hash: outcome.key, config: material } };
}

import { resultTable, type ResultTable } from '@lmrec/eval';
import { REINDEX_ROW, type RtaVariantResult } from './types.js';

/** Markdown table of the popularity-bias diagnostics and learned gates. */
export function diagnosticsTable(variants: readonly RtaVariantResult[]): string {
  const k = variants[0]?.diagnostics.k ?? 10;
  const lines = [
    `| model | mean pop. percentile@${k} | Gini exposure@${k} | top-10% share@${k} | coverage@${k} | gate s |`,
    '|---|---:|---:|---:|---:|---:|',
    ...variants.map(
      (v) =>
        `| ${v.name} | ${v.diagnostics.meanPopularityPercentile.toFixed(3)} | ${v.diagnostics.giniExposure.toFixed(3)} | ${v.diagnostics.topDecileShare.toFixed(3)} | ${v.diagnostics.coverage.toFixed(3)} | ${v.gate === undefined ? '' : v.gate.toFixed(3)} |`,
    ),
  ];
  return `${lines.join('\n')}\n\npercentile 1 = the most mentioned train item; top-10% = the 10% most mentioned items (train mention counts).\n`;
}

/** H@K / N@K with standard errors and paired t-tests against Reindex (per-example values needed). */
export function comparisonTables(variants: readonly RtaVariantResult[], ks: readonly number[], excludeMentioned: boolean): { table: ResultTable; tableExcludeMentioned?: ResultTable } {
  const metrics = [...ks.map((k) => `hit@${k}`), ...ks.map((k) => `ndcg@${k}`)];
  const table = resultTable(
    variants.map((v) => ({ name: v.name, result: v.test })),
    { baseline: REINDEX_ROW, metrics },
  );
  if (!excludeMentioned) return { table };
  const tableExcludeMentioned = resultTable(
    variants.map((v) => ({ name: v.name, result: v.testExcludeMentioned! })),
    { baseline: REINDEX_ROW, metrics },
  );
  return { table, tableExcludeMentioned };
}

/** The rows without per-example values (they are large), unless asked to keep them. */
export function dropPerUnit(variants: readonly RtaVariantResult[]): RtaVariantResult[] {
  return variants.map((v) => ({
    ...v,
    test: { ...v.test, perUnit: {}, ids: undefined },
    ...(v.testExcludeMentioned ? { testExcludeMentioned: { ...v.testExcludeMentioned, perUnit: {}, ids: undefined } } : {}),
  }));
}

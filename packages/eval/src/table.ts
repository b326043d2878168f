import { LmrecError } from '@lmrec/core';
import type { EvalResult } from './types.js';
import { pairedBootstrap, pairedTTest, pairedValues } from './significance/paired.js';

export interface ResultTableOptions {
  /** Name of the row every other row is tested against. */
  baseline: string;
  /** Columns, default every metric of the baseline (in its order). */
  metrics?: readonly string[];
  /** Significance level, default 0.05. */
  alpha?: number;
  /** 'ttest' (paired t-test, default) or 'bootstrap' (paired bootstrap p). */
  test?: 'ttest' | 'bootstrap';
  /** Bootstrap settings when test = 'bootstrap'. */
  iterations?: number;
  seed?: number;
  /** Decimals in the markdown, default 4. */
  digits?: number;
}

export interface ResultCell {
  mean: number;
  se: number;
  /** Versus the baseline (absent on the baseline row). */
  diff?: number;
  p?: number;
  significant?: boolean;
}

export interface ResultTable {
  baseline: string;
  metrics: string[];
  test: 'ttest' | 'bootstrap';
  alpha: number;
  rows: { name: string; cells: Record<string, ResultCell> }[];
  /** Mean ± SE per cell, `*` where p < alpha against the baseline, best value of each column in bold. */
  markdown: string;
}

/**
 * Compare several results over the same users/examples against a baseline;
 * paired tests per metric, no multiple-comparison correction (say so when
 * reporting many cells).
 */
export function resultTable(rows: Record<string, EvalResult> | readonly { name: string; result: EvalResult }[], options: ResultTableOptions): ResultTable {
  const list = Array.isArray(rows)
    ? (rows as readonly { name: string; result: EvalResult }[])
    : Object.entries(rows as Record<string, EvalResult>).map(([name, result]) => ({ name, result }));
  const base = list.find((r) => r.name === options.baseline);
  if (!base) {
    throw new LmrecError('E_ARGUMENT', `baseline "${options.baseline}" is not among the rows`, { field: 'baseline', hint: `rows: ${list.map((r) => r.name).join(', ')}` });
  }
  const alpha = options.alpha ?? 0.05;
  const test = options.test ?? 'ttest';
  const digits = options.digits ?? 4;
  const metrics = [...(options.metrics ?? Object.keys(base.result.metrics))];

  const out = list.map(({ name, result }) => {
    const cells: Record<string, ResultCell> = {};
    for (const m of metrics) {
      const summary = result.metrics[m];
      if (!summary) throw new LmrecError('E_ARGUMENT', `row "${name}" has no metric "${m}"`, { field: m });
      const cell: ResultCell = { mean: summary.mean, se: summary.se };
      if (name !== options.baseline) {
        const [a, b] = pairedValues(result, base.result, m);
        const p = test === 'ttest' ? pairedTTest(a, b).p : pairedBootstrap(a, b, { iterations: options.iterations, seed: options.seed, alpha }).p;
        cell.diff = summary.mean - base.result.metrics[m].mean;
        cell.p = p;
        cell.significant = p < alpha;
      }
      cells[m] = cell;
    }
    return { name, cells };
  });

  const best = new Map(metrics.map((m) => [m, Math.max(...out.map((r) => r.cells[m].mean))]));
  const header = `| model | ${metrics.join(' | ')} |`;
  const rule = `|---|${metrics.map(() => '---:').join('|')}|`;
  const body = out.map((r) => {
    const cells = metrics.map((m) => {
      const c = r.cells[m];
      let text = `${c.mean.toFixed(digits)} ± ${Number.isFinite(c.se) ? c.se.toFixed(digits) : 'n/a'}`;
      if (c.mean === best.get(m)) text = `**${text}**`;
      return c.significant ? `${text}*` : text;
    });
    return `| ${r.name}${r.name === options.baseline ? ' (baseline)' : ''} | ${cells.join(' | ')} |`;
  });
  const legend = `\n\nmean ± standard error; * = p < ${alpha} against ${options.baseline} (paired ${test === 'ttest' ? 't-test' : 'bootstrap'}, no multiple-comparison correction); bold = best.\n`;
  return { baseline: options.baseline, metrics, test, alpha, rows: out, markdown: [header, rule, ...body].join('\n') + legend };
}

import type { BestEpoch, ExperimentResult } from './types.js';

/** Mark for a paired test result: ** p < 0.01, * p < 0.05. */
export function significanceMark(p: number | undefined): string {
  if (p === undefined || !Number.isFinite(p)) return '';
  return p < 0.01 ? '**' : p < 0.05 ? '*' : '';
}

export function formatMetric(mean: number, se: number): string {
  return `${mean.toFixed(4)} ±${se.toFixed(4)}`;
}

export function formatExtra(v: number | string | undefined): string {
  if (v === undefined) return '-';
  return typeof v === 'number' ? String(Number(v.toPrecision(4))) : v;
}

/** "12 of 60", "0 of 10 (initial weights kept)", "60 of 60 (last: under-trained?)". */
export function bestEpochText(best: BestEpoch | undefined): string {
  if (!best) return '-';
  const note = best.note === 'initial' ? ' (initial weights kept)' : best.note === 'last' ? ' (last: under-trained?)' : '';
  return `${best.epoch} of ${best.of}${note}`;
}

/** The experiment's table as plain text for the terminal. */
export function textTable(exp: ExperimentResult): string {
  const hasBest = exp.rows.some((r) => r.best);
  const header = ['model', ...exp.metricKeys, ...(hasBest ? ['best epoch'] : [])];
  const sig = new Map((exp.significance ?? []).map((s) => [`${s.label}|${s.metric}`, s.p]));
  const rows = exp.rows.map((row) => [
    row.label + (row.label === exp.baseline ? ' (baseline)' : ''),
    ...exp.metricKeys.map((key) => {
      const m = row.metrics[key];
      return m ? `${formatMetric(m.mean, m.se)}${significanceMark(sig.get(`${row.label}|${key}`))}` : '-';
    }),
    ...(hasBest ? [bestEpochText(row.best)] : []),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const out = [`${exp.title}`, line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  if (exp.baseline && exp.significance?.length) out.push(`* p < 0.05, ** p < 0.01: paired t-test against ${exp.baseline}`);
  // a row's warning (test-set selection, no time order) must be seen where its numbers are read
  out.push(...(exp.notes ?? []).map((n) => `note: ${n}`));
  return out.join('\n');
}

import type { ExperimentResult } from './types.js';

/** Mark for a paired test result: ** p < 0.01, * p < 0.05. */
export function significanceMark(p: number | undefined): string {
  if (p === undefined || !Number.isFinite(p)) return '';
  return p < 0.01 ? '**' : p < 0.05 ? '*' : '';
}

export function formatMetric(mean: number, se: number): string {
  return `${mean.toFixed(4)} ±${se.toFixed(4)}`;
}

/** The experiment's table as plain text for the terminal. */
export function textTable(exp: ExperimentResult): string {
  const header = ['model', ...exp.metricKeys];
  const sig = new Map((exp.significance ?? []).map((s) => [`${s.label}|${s.metric}`, s.p]));
  const rows = exp.rows.map((row) => [
    row.label + (row.label === exp.baseline ? ' (baseline)' : ''),
    ...exp.metricKeys.map((key) => {
      const m = row.metrics[key];
      return m ? `${formatMetric(m.mean, m.se)}${significanceMark(sig.get(`${row.label}|${key}`))}` : '-';
    }),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const out = [`${exp.title}`, line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  if (exp.baseline && exp.significance?.length) out.push(`* p < 0.05, ** p < 0.01: paired t-test against ${exp.baseline}`);
  return out.join('\n');
}

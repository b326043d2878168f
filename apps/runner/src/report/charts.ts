import { seriesStyle } from './style.js';
import { barChart, lineChart, type Series } from './svg.js';
import type { ExperimentResult, ModelRow } from './types.js';

/** Metric families present at several K, e.g. recall@10/20/50 -> "recall". */
function families(rows: readonly ModelRow[]): Map<string, number[]> {
  const fam = new Map<string, number[]>();
  for (const key of new Set(rows.flatMap((r) => Object.keys(r.metrics)))) {
    const m = /^(.+)@(\d+)$/.exec(key);
    if (m) fam.set(m[1], [...(fam.get(m[1]) ?? []), Number(m[2])].sort((a, b) => a - b));
  }
  return new Map([...fam].filter(([, ks]) => ks.length > 1));
}

/** One look (colour, dash, marker) per row across every chart of the experiment. */
const styler = (exp: ExperimentResult) => (row: ModelRow) => seriesStyle(exp.rows.indexOf(row));

function curveCharts(exp: ExperimentResult): string[] {
  const style = styler(exp);
  const curved = exp.rows.filter((r) => r.curve && r.curve.length > 0);
  if (curved.length === 0) return [];
  const out: string[] = [];
  const metricNames = [...new Set(curved.flatMap((r) => r.curve!.flatMap((p) => Object.keys(p))))].filter((k) => k !== 'epoch' && k !== 'loss' && k !== 'seconds');
  for (const metric of metricNames.slice(0, 2)) {
    const series: Series[] = curved.map((r) => ({ name: r.label, style: style(r), points: r.curve!.filter((p) => p[metric] !== undefined).map((p) => [p.epoch, p[metric]!]) }));
    out.push(lineChart(`valid ${metric} by epoch`, series, 'epoch', metric));
  }
  // Losses of different models live on different scales: one panel each, its own axis.
  const panels = curved
    .filter((r) => r.curve!.some((p) => p.loss !== undefined))
    .map((r) => lineChart(`loss: ${r.label}`, [{ name: r.label, style: style(r), points: r.curve!.filter((p) => p.loss !== undefined).map((p) => [p.epoch, p.loss!]) }], 'epoch', 'loss', { small: true, fromZero: false }));
  if (panels.length) out.push(`<div class="panels"><h3>Training loss by epoch (one panel per model, each on its own scale)</h3>${panels.join('')}</div>`);
  return out;
}

/** A sweep (the intention study's alpha): every metric against the swept value. */
function sweepChart(exp: ExperimentResult): string[] {
  if (!exp.sweep) return [];
  const { parameter } = exp.sweep;
  const series: Series[] = exp.metricKeys.map((key) => ({ name: key, points: exp.rows.map((r) => [Number(r.extra?.[parameter]), r.metrics[key]?.mean ?? NaN]) }));
  return [lineChart(`metrics against ${parameter}`, series, parameter, 'value')];
}

export function charts(exp: ExperimentResult): string[] {
  const style = styler(exp);
  const out: string[] = [...sweepChart(exp)];
  if (!exp.sweep) {
    for (const [family, ks] of families(exp.rows)) {
      out.push(lineChart(`${family}@K`, exp.rows.map((r) => ({ name: r.label, style: style(r), points: ks.map((k) => [k, r.metrics[`${family}@${k}`]?.mean ?? NaN]) })), 'K', family, { categoricalX: true }));
    }
  }
  out.push(...curveCharts(exp));
  const popKeys = [...new Set(exp.rows.flatMap((r) => Object.keys(r.popularity ?? {})))];
  for (const key of popKeys.slice(0, 3)) {
    out.push(barChart(`popularity bias: ${key}`, exp.rows.filter((r) => r.popularity?.[key] !== undefined).map((r) => ({ name: r.label, value: r.popularity![key], style: style(r) })), key));
  }
  const main = exp.mainMetric ?? exp.metricKeys[0];
  if (main) out.push(barChart(`${main} (mean ± se)`, exp.rows.filter((r) => r.metrics[main]).map((r) => ({ name: r.label, value: r.metrics[main].mean, error: r.metrics[main].se, style: style(r) })), main));
  return out;
}

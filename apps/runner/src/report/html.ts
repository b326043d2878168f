import { barChart, escapeXml, lineChart, PALETTE, type Series } from './svg.js';
import { formatMetric, significanceMark } from './table.js';
import type { ExperimentResult, RunResults } from './types.js';

/** A self-contained report: tables with standard errors and significance marks, and inline SVG charts. */
export function renderReport(results: RunResults): string {
  const sections = results.experiments.map(renderExperiment).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(results.name)} · lmrec report</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1180px;color:#222;padding:0 16px}
h1{font-size:22px;margin-bottom:4px} h2{font-size:18px;margin-top:36px;border-bottom:1px solid #ddd;padding-bottom:4px}
table{border-collapse:collapse;margin:12px 0;font-variant-numeric:tabular-nums}
th,td{padding:4px 10px;border-bottom:1px solid #eee;text-align:right} th:first-child,td:first-child{text-align:left}
tr.best td{font-weight:600} .meta{color:#666} .charts{display:flex;flex-wrap:wrap;gap:12px}
.chart{border:1px solid #eee;background:#fff} details{margin:8px 0} code{background:#f5f5f5;padding:1px 4px}
</style></head><body>
<h1>${escapeXml(results.name)}</h1>
<p class="meta">${escapeXml(results.description ?? '')}</p>
<p class="meta">seed ${results.seed} · backend ${escapeXml(results.backend)} · started ${escapeXml(results.startedAt)} · ${results.seconds.toFixed(1)} s</p>
${sections}
<details><summary>Configuration</summary><pre>${escapeXml(JSON.stringify(results.config, null, 2))}</pre></details>
</body></html>
`;
}

function renderExperiment(exp: ExperimentResult): string {
  const sig = new Map((exp.significance ?? []).map((s) => [`${s.label}|${s.metric}`, s]));
  const best = new Map(exp.metricKeys.map((k) => [k, Math.max(...exp.rows.map((r) => r.metrics[k]?.mean ?? -Infinity))]));
  const extraKeys = [...new Set(exp.rows.flatMap((r) => Object.keys(r.extra ?? {})))];
  const head = `<tr><th>model</th>${exp.metricKeys.map((k) => `<th>${escapeXml(k)}</th>`).join('')}<th>epochs</th><th>seconds</th>${extraKeys.map((k) => `<th>${escapeXml(k)}</th>`).join('')}</tr>`;
  const body = exp.rows
    .map((row) => {
      const cells = exp.metricKeys.map((k) => {
        const m = row.metrics[k];
        if (!m) return '<td>-</td>';
        const s = sig.get(`${row.label}|${k}`);
        const mark = significanceMark(s?.p);
        const title = s ? ` title="diff ${s.diff.toFixed(4)}, p=${s.p.toPrecision(3)}, 95% CI [${s.ciLow.toFixed(4)}, ${s.ciHigh.toFixed(4)}]"` : '';
        const isBest = m.mean === best.get(k);
        return `<td${title}>${isBest ? '<b>' : ''}${formatMetric(m.mean, m.se)}${isBest ? '</b>' : ''}${mark ? `<sup>${mark}</sup>` : ''}</td>`;
      });
      const extras = extraKeys.map((k) => `<td>${escapeXml(String(formatExtra(row.extra?.[k])))}</td>`);
      return `<tr><td>${escapeXml(row.label)}${row.label === exp.baseline ? ' <i>(baseline)</i>' : ''}</td>${cells.join('')}<td>${row.epochs ?? '-'}</td><td>${row.seconds?.toFixed(1) ?? '-'}</td>${extras.join('')}</tr>`;
    })
    .join('');
  const notes = [
    exp.baseline && exp.significance?.length ? `<sup>*</sup> p &lt; 0.05, <sup>**</sup> p &lt; 0.01 (paired t-test against ${escapeXml(exp.baseline)}; hover a cell for the bootstrap CI).` : '',
    ...(exp.notes ?? []).map(escapeXml),
  ].filter(Boolean);
  return `<h2>${escapeXml(exp.title)}</h2>
<table>${head}${body}</table>
${notes.map((n) => `<p class="meta">${n}</p>`).join('\n')}
${exp.protocol ? `<details><summary>Protocol</summary><pre>${escapeXml(JSON.stringify(exp.protocol, null, 2))}</pre></details>` : ''}
<div class="charts">${charts(exp).join('')}</div>`;
}

function formatExtra(v: number | string | undefined): string {
  if (v === undefined) return '-';
  return typeof v === 'number' ? String(Number(v.toPrecision(4))) : v;
}

/** Metric families present at several K, e.g. recall@10/20/50 -> "recall". */
function families(rows: ExperimentResult['rows']): Map<string, number[]> {
  const all = new Set(rows.flatMap((r) => Object.keys(r.metrics)));
  const fam = new Map<string, number[]>();
  for (const key of all) {
    const m = /^(.+)@(\d+)$/.exec(key);
    if (!m) continue;
    fam.set(m[1], [...(fam.get(m[1]) ?? []), Number(m[2])].sort((a, b) => a - b));
  }
  return new Map([...fam].filter(([, ks]) => ks.length > 1));
}

function charts(exp: ExperimentResult): string[] {
  const out: string[] = [];
  // One colour per model across every chart of the experiment.
  const color = (label: string) => PALETTE[exp.rows.findIndex((r) => r.label === label) % PALETTE.length];
  for (const [family, ks] of families(exp.rows)) {
    const series: Series[] = exp.rows.map((r) => ({ name: r.label, color: color(r.label), points: ks.map((k) => [k, r.metrics[`${family}@${k}`]?.mean ?? NaN] as [number, number]) }));
    out.push(lineChart(`${family}@K`, series, 'K', family, { categoricalX: true }));
  }
  const curved = exp.rows.filter((r) => r.curve && r.curve.length > 0);
  if (curved.length) {
    const metricNames = [...new Set(curved.flatMap((r) => r.curve!.flatMap((p) => Object.keys(p))))].filter((k) => k !== 'epoch' && k !== 'loss' && k !== 'seconds');
    for (const metric of metricNames.slice(0, 2)) {
      out.push(lineChart(`valid ${metric} by epoch`, curved.map((r) => ({ name: r.label, color: color(r.label), points: r.curve!.filter((p) => p[metric] !== undefined).map((p) => [p.epoch, p[metric]!] as [number, number]) })), 'epoch', metric));
    }
    out.push(lineChart('training loss by epoch', curved.map((r) => ({ name: r.label, color: color(r.label), points: r.curve!.filter((p) => p.loss !== undefined).map((p) => [p.epoch, p.loss!] as [number, number]) })), 'epoch', 'loss'));
  }
  const popKeys = [...new Set(exp.rows.flatMap((r) => Object.keys(r.popularity ?? {})))];
  for (const key of popKeys.slice(0, 3)) {
    out.push(barChart(`popularity bias: ${key}`, exp.rows.filter((r) => r.popularity?.[key] !== undefined).map((r) => ({ name: r.label, value: r.popularity![key], color: color(r.label) })), key));
  }
  const main = exp.mainMetric ?? exp.metricKeys[0];
  if (main) out.push(barChart(`${main} (mean ± se)`, exp.rows.filter((r) => r.metrics[main]).map((r) => ({ name: r.label, value: r.metrics[main].mean, error: r.metrics[main].se, color: color(r.label) })), main));
  return out;
}

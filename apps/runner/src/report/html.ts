import { charts } from './charts.js';
import { escapeXml } from './style.js';
import { bestEpochText, formatExtra, significanceMark } from './table.js';
import type { ExperimentResult, ModelRow, RunResults } from './types.js';

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1200px;color:#222;padding:0 16px;overflow-wrap:anywhere}
h1{font-size:22px;margin-bottom:4px} h2{font-size:18px;margin-top:36px;border-bottom:1px solid #ddd;padding-bottom:4px} h3{font-size:14px;margin:8px 0;width:100%}
.table{max-width:100%}
table{border-collapse:collapse;margin:12px 0;font-variant-numeric:tabular-nums;font-size:13px;table-layout:auto}
th,td{padding:3px 7px;border-bottom:1px solid #eee;text-align:right;vertical-align:top} th:first-child,td:first-child{text-align:left;max-width:260px}
th{font-weight:600;font-size:12px} td .se{display:block;color:#777;font-size:11px} td.note{color:#a15c00}
.meta{color:#666} .charts{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start}
figure.chart{margin:0;border:1px solid #eee;background:#fff;padding:4px;max-width:100%} figure.chart svg{display:block;max-width:100%;height:auto}
ul.legend{list-style:none;margin:4px 6px;padding:0;display:flex;flex-wrap:wrap;gap:2px 12px;font-size:11px;max-width:520px}
ul.legend li{display:flex;align-items:center;gap:4px} ul.legend svg{flex:none}
.panels{display:flex;flex-wrap:wrap;gap:8px;width:100%} details{margin:8px 0} pre{white-space:pre-wrap} code{background:#f5f5f5;padding:1px 4px}
`;

/** A self-contained report: tables with standard errors and significance marks, and inline SVG charts (no scripts). */
export function renderReport(results: RunResults): string {
  const sections = results.experiments.map(renderExperiment).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeXml(results.name)} · lmrec report</title>
<style>${STYLE}</style></head><body>
<h1>${escapeXml(results.name)}</h1>
<p class="meta">${escapeXml(results.description ?? '')}</p>
<p class="meta">seed ${results.seed} · backend ${escapeXml(results.backend)} · started ${escapeXml(results.startedAt)} · ${results.seconds.toFixed(1)} s</p>
${sections}
<details><summary>Configuration</summary><pre>${escapeXml(JSON.stringify(results.config, null, 2))}</pre></details>
</body></html>
`;
}

function metricCell(exp: ExperimentResult, row: ModelRow, key: string, best: Map<string, number>, sig: Map<string, NonNullable<ExperimentResult['significance']>[number]>): string {
  const m = row.metrics[key];
  if (!m) return '<td>-</td>';
  const s = sig.get(`${row.label}|${key}`);
  const mark = significanceMark(s?.p);
  const title = s ? ` title="diff ${s.diff.toFixed(4)}, p=${s.p.toPrecision(3)}, 95% CI [${s.ciLow.toFixed(4)}, ${s.ciHigh.toFixed(4)}]"` : '';
  const value = m.mean === best.get(key) ? `<b>${m.mean.toFixed(4)}</b>` : m.mean.toFixed(4);
  return `<td${title}>${value}${mark ? `<sup>${mark}</sup>` : ''}<span class="se">±${m.se.toFixed(4)}</span></td>`;
}

function renderTable(exp: ExperimentResult): string {
  const sig = new Map((exp.significance ?? []).map((s) => [`${s.label}|${s.metric}`, s]));
  const best = new Map(exp.metricKeys.map((k) => [k, Math.max(...exp.rows.map((r) => r.metrics[k]?.mean ?? -Infinity))]));
  const extraKeys = [...new Set(exp.rows.flatMap((r) => Object.keys(r.extra ?? {})))].filter((k) => k !== 'warning' && !(exp.sweep && k === exp.sweep.parameter));
  const hasBest = exp.rows.some((r) => r.best);
  const head = `<tr><th>model</th>${exp.metricKeys.map((k) => `<th>${escapeXml(k)}</th>`).join('')}${hasBest ? '<th>best epoch</th>' : ''}<th>epochs</th><th>seconds</th>${extraKeys.map((k) => `<th>${escapeXml(k)}</th>`).join('')}</tr>`;
  const body = exp.rows
    .map((row) => {
      const cells = exp.metricKeys.map((k) => metricCell(exp, row, k, best, sig));
      const bestCell = hasBest ? `<td${row.best?.note ? ' class="note"' : ''}>${escapeXml(bestEpochText(row.best))}</td>` : '';
      const extras = extraKeys.map((k) => `<td>${escapeXml(formatExtra(row.extra?.[k]))}</td>`);
      return `<tr><td>${escapeXml(row.label)}${row.label === exp.baseline ? ' <i>(baseline)</i>' : ''}</td>${cells.join('')}${bestCell}<td>${row.epochs ?? '-'}</td><td>${row.seconds?.toFixed(1) ?? '-'}</td>${extras.join('')}</tr>`;
    })
    .join('');
  return `<div class="table"><table>${head}${body}</table></div>`;
}

function renderExperiment(exp: ExperimentResult): string {
  const notes = [
    exp.baseline && exp.significance?.length ? `<sup>*</sup> p &lt; 0.05, <sup>**</sup> p &lt; 0.01 (paired t-test against ${escapeXml(exp.baseline)}; hover a cell for the bootstrap CI).` : '',
    exp.rows.some((r) => r.best?.note === 'last') ? 'best epoch "last": the last epoch was the best one, so the model may be under-trained (raise epochs).' : '',
    exp.rows.some((r) => r.best?.note === 'initial') ? 'best epoch "initial": training never beat the starting weights on valid; the initial weights were kept.' : '',
    ...(exp.notes ?? []).map(escapeXml),
  ].filter(Boolean);
  return `<h2>${escapeXml(exp.title)}</h2>
${renderTable(exp)}
${notes.map((n) => `<p class="meta">${n}</p>`).join('\n')}
${exp.protocol ? `<details><summary>Protocol</summary><pre>${escapeXml(JSON.stringify(exp.protocol, null, 2))}</pre></details>` : ''}
<div class="charts">${charts(exp).join('')}</div>`;
}

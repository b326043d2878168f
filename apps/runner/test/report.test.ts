/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderReport } from '../src/report/html.js';
import { lineChart, niceTicks } from '../src/report/svg.js';
import { seriesStyle } from '../src/report/style.js';
import { textTable } from '../src/report/table.js';
import type { ExperimentResult, ModelRow, RunResults } from '../src/report/types.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

const metric = (mean: number, se = 0.01) => ({ mean, se });

const small: ExperimentResult = {
  title: 'CF comparison',
  kind: 'cf',
  metricKeys: ['recall@10', 'recall@20', 'ndcg@20'],
  baseline: 'Popularity',
  rows: [
    { label: 'Popularity', metrics: { 'recall@10': metric(0.05), 'recall@20': metric(0.08), 'ndcg@20': metric(0.04, 0.005) } },
    {
      label: 'AlphaRec',
      metrics: { 'recall@10': metric(0.12), 'recall@20': metric(0.2, 0.012), 'ndcg@20': metric(0.11, 0.006) },
      curve: [{ epoch: 1, loss: 2.1, 'recall@20': 0.15 }, { epoch: 2, loss: 1.7, 'recall@20': 0.19 }],
      popularity: { 'mean popularity percentile': 0.71 },
      epochs: 2,
      seconds: 3.2,
      best: { epoch: 2, of: 2, note: 'last' },
    },
  ],
  significance: [{ label: 'AlphaRec', metric: 'recall@20', diff: 0.12, p: 0.003, ciLow: 0.08, ciHigh: 0.16 }],
};

/** An RTA-sized table: 16 rows with long labels, 8 metric columns, curves of very different loss scales. */
function wide(): ExperimentResult {
  const ks = [1, 5, 10, 50];
  const metricKeys = ks.flatMap((k) => [`hit@${k}`, `ndcg@${k}`]);
  const rows: ModelRow[] = Array.from({ length: 16 }, (_, i) => ({
    label: `+RecSys SASRec variant number ${i} (trainable aggregator, long label)`,
    metrics: Object.fromEntries(metricKeys.map((k, j) => [k, metric(0.01 * (i + j + 1), 0.0123)])),
    curve: Array.from({ length: 12 }, (_, e) => ({ epoch: e + 1, loss: (i + 1) * 10 ** (i % 4) * Math.exp(-e / 4), 'hit@10': 0.01 * e })),
    popularity: { 'gini@10': 0.3 + i / 50 },
    epochs: 12,
    seconds: 10 + i,
    extra: { gate: 0.5 },
    best: i === 3 ? { epoch: 0, of: 12, note: 'initial' } : { epoch: 7, of: 12 },
  }));
  return { title: 'RTA comparison with sixteen rows', kind: 'rta', metricKeys, mainMetric: 'hit@10', baseline: rows[0].label, rows };
}

const sweep: ExperimentResult = {
  title: 'User intention',
  kind: 'intention',
  metricKeys: ['hr@5', 'ndcg@5'],
  sweep: { parameter: 'alpha', values: [0, 0.5, 1] },
  rows: [0, 0.5, 1].map((a) => ({ label: `alpha = ${a}`, metrics: { 'hr@5': metric(0.1 + a / 10), 'ndcg@5': metric(0.05 + a / 20) }, extra: { alpha: a } })),
};

const results = (experiments: ExperimentResult[]): RunResults => ({ name: 'fixture', seed: 7, backend: 'wasm', startedAt: '2026-01-01T00:00:00Z', seconds: 1.5, config: { name: 'fixture' }, experiments });

describe('report', () => {
  it('marks significance, keeps standard errors and shows the best epoch in the text table', () => {
    const text = textTable(small);
    expect(text).toContain('0.2000 ±0.0120**');
    expect(text).toContain('Popularity (baseline)');
    expect(text).toContain('2 of 2 (last: under-trained?)');
    expect(textTable(wide())).toContain('0 of 12 (initial weights kept)');
  });

  it("prints the experiment's notes under the text table, one line each", () => {
    const lines = textTable({ ...small, notes: ['SASRec: no time order', 'backbone: lexical'] }).split('\n');
    expect(lines.slice(-2)).toEqual(['note: SASRec: no time order', 'note: backbone: lexical']);
    expect(textTable(small)).not.toContain('note:');
  });

  it('chooses round ticks that cover the range', () => {
    expect(niceTicks(0, 0.2)).toEqual([0, 0.05, 0.1, 0.15, 0.2]);
    const t = niceTicks(3, 97);
    expect(t[0]).toBeLessThanOrEqual(3);
    expect(t[t.length - 1]).toBeGreaterThanOrEqual(97);
  });

  it('escapes labels so a model name cannot inject markup', () => {
    const html = renderReport({ ...results([small]), name: '<script>alert(1)</script>' });
    expect(html).not.toContain('<script>alert(1)');
  });

  it('gives 16+ series distinct colour-and-dash looks and full legend labels', () => {
    const looks = Array.from({ length: 40 }, (_, i) => seriesStyle(i)).map((s) => `${s.color}|${s.dash}|${s.marker}`);
    expect(new Set(looks).size).toBe(40);
    const exp = wide();
    const html = lineChart('x', exp.rows.map((r) => ({ name: r.label, points: [[1, 1], [2, 2]] })), 'epoch', 'y');
    const strokes = [...html.matchAll(/<path d="[^"]*" fill="none" stroke="([^"]+)" stroke-width="2" stroke-dasharray="([^"]*)"/g)].map((m) => `${m[1]}|${m[2]}`);
    expect(strokes).toHaveLength(16);
    expect(new Set(strokes).size).toBe(16);
    for (const row of exp.rows) expect(html).toContain(`<span>${row.label.replace(/&/g, '&amp;')}</span>`);
  });

  it('draws each model\'s loss in its own panel, the best-epoch notes, and metrics against alpha for a sweep', () => {
    const html = renderReport(results([wide(), sweep]));
    expect((html.match(/aria-label="loss: /g) ?? []).length).toBe(16);
    expect(html).toContain('best epoch "initial": training never beat the starting weights on valid');
    expect(html).toContain('aria-label="metrics against alpha"');
    expect(renderReport(results([small]))).toContain('the last epoch was the best one');
  });

  it.skipIf(!CHROMIUM)('renders in headless Chromium at 1280 px: no console errors, no text outside its box', async () => {
    const { chromium } = await import('playwright-core');
    const dir = mkdtempSync(join(tmpdir(), 'lmrec-report-'));
    const file = join(dir, 'report.html');
    writeFileSync(file, renderReport(results([small, wide(), sweep])));
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(msg.text());
      });
      page.on('pageerror', (err) => errors.push(err.message));
      await page.goto(`file://${file}`);
      const layout = await page.evaluate(() => {
        const out: string[] = [];
        if (document.documentElement.scrollWidth > window.innerWidth) out.push(`page is ${document.documentElement.scrollWidth}px wide`);
        for (const cell of document.querySelectorAll('td, th, li, p, h1, h2, h3')) {
          if (cell.scrollWidth > cell.clientWidth + 1) out.push(`${cell.tagName} "${cell.textContent?.slice(0, 40)}" overflows (${cell.scrollWidth} > ${cell.clientWidth})`);
        }
        for (const svg of document.querySelectorAll('figure.chart > svg')) {
          const box = svg.getBoundingClientRect();
          for (const text of svg.querySelectorAll('text')) {
            const r = text.getBoundingClientRect();
            if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) out.push(`svg text "${text.textContent}" leaves its chart`);
          }
        }
        for (const table of document.querySelectorAll('table')) if (table.getBoundingClientRect().right > window.innerWidth) out.push('a table is wider than the window');
        return { problems: out, charts: document.querySelectorAll('figure.chart').length, drawn: document.querySelectorAll('figure.chart path, figure.chart rect').length };
      });
      expect(layout.problems).toEqual([]);
      expect(layout.charts).toBeGreaterThan(20);
      expect(layout.drawn).toBeGreaterThan(50);
      const png = await page.screenshot({ fullPage: true });
      writeFileSync(join(dir, 'report.png'), png);
      expect(png.length).toBeGreaterThan(20_000);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderReport } from '../src/report/html.js';
import { niceTicks } from '../src/report/svg.js';
import { textTable } from '../src/report/table.js';
import type { RunResults } from '../src/report/types.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

const results: RunResults = {
  name: 'fixture',
  seed: 7,
  backend: 'wasm',
  startedAt: '2026-01-01T00:00:00Z',
  seconds: 1.5,
  config: { name: 'fixture' },
  experiments: [
    {
      title: 'CF comparison',
      kind: 'cf',
      metricKeys: ['recall@10', 'recall@20', 'ndcg@20'],
      baseline: 'Popularity',
      rows: [
        { label: 'Popularity', metrics: { 'recall@10': { mean: 0.05, se: 0.01 }, 'recall@20': { mean: 0.08, se: 0.01 }, 'ndcg@20': { mean: 0.04, se: 0.005 } } },
        {
          label: 'AlphaRec',
          metrics: { 'recall@10': { mean: 0.12, se: 0.01 }, 'recall@20': { mean: 0.2, se: 0.012 }, 'ndcg@20': { mean: 0.11, se: 0.006 } },
          curve: [{ epoch: 5, loss: 2.1, 'recall@20': 0.15 }, { epoch: 10, loss: 1.7, 'recall@20': 0.19 }],
          popularity: { 'mean popularity percentile': 0.71 },
          epochs: 10,
          seconds: 3.2,
        },
      ],
      significance: [{ label: 'AlphaRec', metric: 'recall@20', diff: 0.12, p: 0.003, ciLow: 0.08, ciHigh: 0.16 }],
    },
  ],
};

describe('report', () => {
  it('marks significance and keeps standard errors in the text table', () => {
    const text = textTable(results.experiments[0]);
    expect(text).toContain('0.2000 ±0.0120**');
    expect(text).toContain('Popularity (baseline)');
  });

  it('chooses round ticks that cover the range', () => {
    expect(niceTicks(0, 0.2)).toEqual([0, 0.05, 0.1, 0.15, 0.2]);
    const t = niceTicks(3, 97);
    expect(t[0]).toBeLessThanOrEqual(3);
    expect(t[t.length - 1]).toBeGreaterThanOrEqual(97);
  });

  it('escapes labels so a model name cannot inject markup', () => {
    const html = renderReport({ ...results, name: '<script>alert(1)</script>' });
    expect(html).not.toContain('<script>alert(1)');
  });

  it.skipIf(!CHROMIUM)('renders its charts in headless Chromium without console errors', async () => {
    const { chromium } = await import('playwright-core');
    const dir = mkdtempSync(join(tmpdir(), 'lmrec-report-'));
    const file = join(dir, 'report.html');
    writeFileSync(file, renderReport(results));
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const errors: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(msg.text());
      });
      page.on('pageerror', (err) => errors.push(err.message));
      await page.goto(`file://${file}`);
      const boxes = await page.$$eval('svg.chart', (nodes) => nodes.map((n) => n.getBoundingClientRect()).map((r) => r.width * r.height));
      // recall@K lines, valid recall by epoch, loss by epoch, popularity bars, main-metric bars
      expect(boxes.length).toBe(5);
      expect(boxes.every((area) => area > 10_000)).toBe(true);
      const drawn = await page.$$eval('svg.chart path, svg.chart rect', (nodes) => nodes.length);
      expect(drawn).toBeGreaterThan(10);
      const png = await page.screenshot({ fullPage: true });
      writeFileSync(join(dir, 'report.png'), png);
      expect(png.length).toBeGreaterThan(20_000);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

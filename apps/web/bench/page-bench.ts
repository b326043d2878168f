// Bundle load time and ms per recommendation in Debian's Chromium, for the
// ML-100K catalogue (a short AlphaRec run on ../shared/data/ml100k-cf, bundled
// with `lmrec bundle`) and a 50k-item synthetic bundle; webgl (SwiftShader,
// no GPU here) and wasm. Writes bench/results.md. Run: pnpm --filter web bench
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { buildPage, CHROMIUM, CHROMIUM_ARGS } from '../test/page-helpers.js';
import { serveStatic } from '../test/serve.js';
import { lmrec } from '../test/tiny-run.js';
import { writeSyntheticBundle } from './synthetic.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const WORK = join(ROOT, 'runs', 'bench-web');
const ML100K = resolve(ROOT, '..', 'shared', 'data', 'ml100k-cf');
const LOADS = 3;
const RECS = 40;

async function ml100kBundle(out: string): Promise<void> {
  const config = join(WORK, 'ml100k.yaml');
  mkdirSync(WORK, { recursive: true });
  writeFileSync(config, `name: bench-web-ml100k\nexperiment: cf\nseed: 2024\ndataset: { loader: alpharec, options: { dir: ${JSON.stringify(ML100K)} } }\nmodels: [{ name: alpharec, label: AlphaRec, options: { hidden: 128 } }]\ntrainer: { epochs: ${process.env.EPOCHS ?? 5}, evalEvery: 5 }\neval: { ks: [20] }\n`);
  const run = join(WORK, 'ml100k-run');
  const r = await lmrec(['run', config, '--output', run, '--quiet']);
  if (r.code !== 0) throw new Error(r.stderr);
  const b = await lmrec(['bundle', run, '--out', out, '--quiet']);
  if (b.code !== 0) throw new Error(b.stderr);
}

// Sent as text: tsx would wrap named functions in a helper the page does not have.
const TIME_RECOMMEND = `(n) => {
  const b = window.lmrec.bundle;
  const history = (s) => Array.from({ length: 5 }, (_, t) => (s * 7919 + t * 104729) % b.manifest.nItems);
  const time = (withIntention) => {
    for (let s = 0; s < 5; s++) b.recommend({ history: history(s), k: 10, intention: withIntention ? 'w1 w20 w300' : undefined });
    const t0 = performance.now();
    for (let s = 0; s < n; s++) b.recommend({ history: history(s + 10), k: 10, intention: withIntention ? 'w' + s + ' w' + s * 3 + ' w' + s * 11 : undefined, alpha: 0.5 });
    return (performance.now() - t0) / n;
  };
  return { backend: b.backend, plain: time(false), intention: b.manifest.intention ? time(true) : NaN };
}`;

async function measure(browser: Browser, url: string, bundle: string, backend: string) {
  const loads: number[] = [];
  let perRec = { plain: 0, intention: NaN };
  let used = '';
  for (let i = 0; i < LOADS; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${url}/?bundle=bundles/${bundle}/manifest.json&backend=${backend}`);
    await page.waitForSelector('body[data-state]', { timeout: 300_000 });
    if ((await page.getAttribute('body', 'data-state')) !== 'ready') throw new Error(`${bundle}: ${await page.textContent('#status')}`);
    loads.push(Number(await page.getAttribute('body', 'data-load-ms')));
    if (i === LOADS - 1) {
      const timed = (await page.evaluate(`(${TIME_RECOMMEND})(${RECS})`)) as { backend: string; plain: number; intention: number };
      perRec = timed;
      used = timed.backend;
    }
    await context.close();
  }
  loads.sort((a, b) => a - b);
  return { bundle, backend: used, loadMs: loads[Math.floor(loads.length / 2)], loads, ...perRec };
}

async function main(): Promise<void> {
  if (!CHROMIUM) {
    console.log('web bench: skipped, no /usr/bin/chromium');
    return;
  }
  const bundles = join(WORK, 'bundles');
  const site = join(WORK, 'site');
  await buildPage(site);
  if (existsSync(ML100K)) await ml100kBundle(join(bundles, 'ml100k'));
  const synthetic = { nItems: 50_000, inDim: 100, hidden: 256, outDim: 64, layers: 2, words: 20_000 };
  writeSyntheticBundle(join(bundles, 'synthetic-50k'), synthetic);
  const server = await serveStatic({ '/bundles/': bundles, '/': site });
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const rows: string[] = [];
  try {
    for (const bundle of ['ml100k', 'synthetic-50k'].filter((b) => existsSync(join(bundles, b)))) {
      const mb = (statSync(join(bundles, bundle, 'bundle.safetensors')).size / 1024 / 1024).toFixed(1);
      for (const backend of ['webgl', 'wasm']) {
        const before = loadavg()[0].toFixed(2);
        const r = await measure(browser, server.url, bundle, backend);
        const line = `| ${bundle} | ${mb} MB | ${r.backend} | ${r.loadMs.toFixed(0)} (${r.loads.map((x) => x.toFixed(0)).join(', ')}) | ${r.plain.toFixed(2)} | ${Number.isNaN(r.intention) ? 'n/a' : r.intention.toFixed(2)} | ${before} / ${loadavg()[0].toFixed(2)} |`;
        console.log(line);
        rows.push(line);
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const text = [
    '# apps/web in Chromium',
    '',
    `Chromium ${CHROMIUM}, headless, SwiftShader for webgl (no GPU); ${LOADS} loads each (fresh context: fetch + sha256 + parse + tfjs upload), ${RECS} recommendations for 5-item histories, k = 10.`,
    `Command: \`pnpm --filter web bench\`; ${new Date().toISOString()}.`,
    '',
    '| bundle | size | backend | load ms, median (all) | ms / recommendation | ms / rec. with intention | load avg 1 min before / after |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
  writeFileSync(join(import.meta.dirname, 'results.md'), text);
  console.log(text);
}

await main();

import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildPage, CHROMIUM, CHROMIUM_ARGS } from './page-helpers.js';
import { serveStatic } from './serve.js';
import { tempDir } from './node-helpers.js';
import { lmrec, tinyRun } from './tiny-run.js';

/** Screenshots land here (CI keeps the folder as the test's artifact). */
const ARTIFACTS = join(import.meta.dirname, '..', 'test-artifacts');
if (!CHROMIUM) console.log('page.test: skipped, no Chromium at /usr/bin/chromium (.ci/run installs Debian\'s "chromium")');

interface Row {
  item: number;
  score: number;
}

async function cli(run: string, args: string[]): Promise<Row[]> {
  const r = await lmrec(['recommend', run, ...args, '--k', '10', '--json', '--quiet']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Row[];
}

async function pageRows(page: Page): Promise<Row[]> {
  return page.$$eval('#top tbody tr', (rows) => rows.map((r) => ({ item: Number((r as HTMLElement).dataset.item), score: Number((r as HTMLElement).dataset.score) })));
}

/** Waits until the list differs from `before`, then returns it. */
async function changedRows(page: Page, before: Row[]): Promise<Row[]> {
  const key = JSON.stringify(before.map((r) => r.item));
  await page.waitForFunction((k) => JSON.stringify([...document.querySelectorAll('#top tbody tr')].map((r) => Number((r as HTMLElement).dataset.item))) !== k, key);
  return pageRows(page);
}

function expectSame(got: Row[], expected: Row[]): void {
  expect(got.map((r) => r.item)).toEqual(expected.map((r) => r.item));
  got.forEach((r, i) => expect(Math.abs(r.score - expected[i].score)).toBeLessThanOrEqual(1e-4));
}

describe.skipIf(!CHROMIUM)('apps/web in a real Chromium', () => {
  let run: string;
  let server: Awaited<ReturnType<typeof serveStatic>>;
  let browser: Browser;
  let titles: string[];
  let bundles: string;

  beforeAll(async () => {
    const dir = tempDir('lmrec-web-page-');
    run = await tinyRun(join(dir, 'tiny'));
    bundles = join(dir, 'bundles');
    expect((await lmrec(['bundle', run, '--out', join(bundles, 'tiny'), '--quiet'])).code).toBe(0);
    titles = JSON.parse(readFileSync(join(bundles, 'tiny', 'manifest.json'), 'utf8')).titles;
    // A bundle cut short in transfer: its manifest still says the full size.
    mkdirSync(join(bundles, 'cut'));
    copyFileSync(join(bundles, 'tiny', 'manifest.json'), join(bundles, 'cut', 'manifest.json'));
    const bytes = readFileSync(join(bundles, 'tiny', 'bundle.safetensors'));
    writeFileSync(join(bundles, 'cut', 'bundle.safetensors'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    // One byte of the last tensor changed, size unchanged: only the sha256 tells.
    mkdirSync(join(bundles, 'tampered'));
    copyFileSync(join(bundles, 'tiny', 'manifest.json'), join(bundles, 'tampered', 'manifest.json'));
    const tampered = Buffer.from(bytes);
    tampered[tampered.length - 3] ^= 0xff;
    writeFileSync(join(bundles, 'tampered', 'bundle.safetensors'), tampered);
    const site = join(dir, 'site');
    await buildPage(site);
    server = await serveStatic({ '/bundles/': bundles, '/': site });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('picks items by title, types an intention, moves alpha: the list is lmrec recommend\'s each time', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    // webgl forced: Chromium here renders with SwiftShader, which the page would skip for wasm by itself.
    await page.goto(`${server.url}/?bundle=bundles/tiny/manifest.json&backend=webgl`);
    await page.waitForSelector('body[data-state="ready"]', { timeout: 60_000 });
    expect(await page.textContent('#status')).toContain('on webgl');
    for (const j of [3, 17, 42]) {
      await page.fill('#search', titles[j]);
      await page.click(`#matches li[title="item ${j}"]`);
    }
    await page.waitForSelector('#top tbody tr');
    const history = ['--history', '3,17,42'];
    const plain = await pageRows(page);
    expectSame(plain, await cli(run, history));

    const intention = 'a scary horror movie with ghosts';
    await page.fill('#intention', intention);
    const steered = await changedRows(page, plain);
    expectSame(steered, await cli(run, [...history, '--intention', intention, '--alpha', '0.5']));

    await page.focus('#alpha');
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowRight');
    expect(await page.inputValue('#alpha')).toBe('0.9');
    const strong = await changedRows(page, steered);
    expectSame(strong, await cli(run, [...history, '--intention', intention, '--alpha', '0.9']));

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'page-top-k.png'), fullPage: true });
    await page.click('#tab-pop');
    // One bar for the catalogue median, then one per recommended item.
    expect(await page.$$eval('#pop .bar', (bars) => bars.length)).toBe(strong.length + 1);
    await page.screenshot({ path: join(ARTIFACTS, 'page-popularity.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('answers the same on the wasm backend, which it picks by itself over software webgl (its .wasm files served by the Vite build)', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/?bundle=bundles/tiny/manifest.json`);
    await page.waitForSelector('body[data-state="ready"]', { timeout: 60_000 });
    expect(await page.textContent('#status')).toContain('on wasm');
    const intention = 'funny comedy for kids';
    await page.fill('#search', titles[5]);
    await page.click('#matches li[title="item 5"]');
    await page.fill('#intention', intention);
    await page.waitForFunction(() => document.querySelectorAll('#top tbody tr').length === 10);
    await page.waitForFunction(() => document.getElementById('timing')?.textContent?.includes('(wasm)'));
    expectSame(await pageRows(page), await cli(run, ['--history', '5', '--intention', intention, '--alpha', '0.5']));
    await page.close();
  });

  it('says clearly when a bundle is truncated, of another version, for another model type or altered, and does not hang', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/?bundle=bundles/cut/manifest.json`);
    await page.waitForSelector('body[data-state="error"]', { timeout: 30_000 });
    expect(await page.textContent('#status')).toMatch(/This bundle cannot be used: .*bytes, manifest.json says .*E_BUNDLE_TRUNCATED/);
    expect(await page.isHidden('#app')).toBe(true);

    // A dropped file (through the file chooser) whose manifest says version 2.
    const bumped = Buffer.from(readFileSync(join(bundles, 'tiny', 'bundle.safetensors')));
    const at = bumped.indexOf('\\"version\\":1');
    expect(at).toBeGreaterThan(0);
    bumped[at + '\\"version\\":'.length] = '2'.charCodeAt(0);
    await page.setInputFiles('#file', { name: 'bundle.safetensors', mimeType: 'application/octet-stream', buffer: bumped });
    await page.waitForFunction(() => document.getElementById('status')?.textContent?.includes('E_BUNDLE_VERSION'), undefined, { timeout: 30_000 });
    expect(await page.textContent('#status')).toContain('bundle format version 2 is not supported');

    const other = Buffer.from(readFileSync(join(bundles, 'tiny', 'bundle.safetensors')));
    const model = other.indexOf('\\"model\\":\\"alpharec\\"');
    other.write('\\"model\\":\\"lightgcn\\"', model, 'latin1');
    await page.setInputFiles('#file', { name: 'other.safetensors', mimeType: 'application/octet-stream', buffer: other });
    await page.waitForFunction(() => document.getElementById('status')?.textContent?.includes('E_BUNDLE_MODEL'), undefined, { timeout: 30_000 });
    expect(await page.textContent('#status')).toContain('the bundle holds a "lightgcn" model; this reader runs "alpharec" only');

    await page.fill('#bundle-url', 'bundles/tampered/manifest.json');
    await page.click('#url-form button');
    await page.waitForFunction(() => document.getElementById('status')?.textContent?.includes('E_BUNDLE_CHECKSUM'), undefined, { timeout: 30_000 });
    await page.close();
  });
});

import { BundleError, loadBundle, type BundleSource, type LoadedBundle } from '@lmrec/browser';
import wasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { $, renderMatches, renderPicked, renderPopularity, renderTop, searchTitles } from './view.js';

// Vite serves the wasm files as assets; tfjs finds them by these names.
const wasmPaths = { 'tfjs-backend-wasm.wasm': wasm, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded };
const params = new URLSearchParams(location.search);

interface State {
  bundle?: LoadedBundle;
  picked: number[];
}
const state: State = { picked: [] };

function status(text: string, error = false): void {
  const s = $('status');
  s.textContent = text;
  s.className = error ? 'error' : '';
}

function explain(error: unknown): string {
  if (error instanceof BundleError) return `This bundle cannot be used: ${error.message}${error.hint ? ` (${error.hint})` : ''} [${error.code}]`;
  return `Loading failed: ${(error as Error).message ?? String(error)}`;
}

async function open(source: BundleSource, name: string): Promise<void> {
  status(`loading ${name}...`);
  const started = performance.now();
  try {
    const bundle = await loadBundle(source, { wasmPaths, backend: (params.get('backend') as never) ?? undefined });
    state.bundle?.dispose();
    state.bundle = bundle;
    state.picked = [];
    const m = bundle.manifest;
    const ms = performance.now() - started;
    status(`${m.label}: ${m.nItems} items, ${m.dtype}, on ${bundle.backend}; loaded in ${ms.toFixed(0)} ms${m.intention ? '' : ' · this model takes no intentions'}`);
    document.body.dataset.loadMs = ms.toFixed(1);
    ($('intention') as HTMLInputElement).disabled = !m.intention;
    $('app').hidden = false;
    update();
  } catch (error) {
    $('app').hidden = true;
    status(explain(error), true);
  }
  document.body.dataset.state = state.bundle && $('app').hidden === false ? 'ready' : 'error';
}

function update(): void {
  const b = state.bundle;
  if (!b) return;
  const titles = b.manifest.titles;
  const picked = new Set(state.picked);
  renderMatches($('matches'), titles, searchTitles(titles, ($('search') as HTMLInputElement).value, picked), (j) => {
    state.picked.push(j);
    update();
  });
  renderPicked($('picked'), titles, state.picked, (j) => {
    state.picked = state.picked.filter((x) => x !== j);
    update();
  });
  const text = ($('intention') as HTMLInputElement).value;
  const alpha = Number(($('alpha') as HTMLInputElement).value);
  $('alpha-value').textContent = alpha.toFixed(2);
  const k = Math.max(1, Math.min(100, Math.floor(Number(($('k') as HTMLInputElement).value) || 10)));
  if (!state.picked.length && !text.trim()) {
    renderTop($('top').querySelector('tbody')!, []);
    $('timing').textContent = 'Pick an item or type an intention.';
    return;
  }
  try {
    const started = performance.now();
    const answer = b.recommend({ history: state.picked, intention: text.trim() && b.manifest.intention ? text : undefined, alpha, k });
    const ms = performance.now() - started;
    renderTop($('top').querySelector('tbody')!, answer.items);
    renderPopularity($('pop'), answer.items, b.degree);
    $('unknown').textContent = answer.unknownWords.length ? `not in the bundled vocabulary (ignored): ${answer.unknownWords.join(', ')}` : '';
    $('timing').textContent = `${answer.items.length} items in ${ms.toFixed(1)} ms (${b.backend})`;
  } catch (error) {
    $('timing').textContent = explain(error);
  }
}

function tab(which: 'top' | 'pop'): void {
  $('top').hidden = which !== 'top';
  $('pop').hidden = which !== 'pop';
  $('tab-top').setAttribute('aria-selected', String(which === 'top'));
  $('tab-pop').setAttribute('aria-selected', String(which === 'pop'));
}

function wire(): void {
  for (const id of ['search', 'intention', 'alpha', 'k']) $(id).addEventListener('input', update);
  $('tab-top').addEventListener('click', () => tab('top'));
  $('tab-pop').addEventListener('click', () => tab('pop'));
  $('url-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const url = ($('bundle-url') as HTMLInputElement).value.trim();
    if (url) void open(url, url);
  });
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const file = e.dataTransfer?.files[0];
    if (file) void open(file, file.name);
  });
  $('file').addEventListener('change', () => {
    const file = ($('file') as HTMLInputElement).files?.[0];
    if (file) void open(file, file.name);
  });
}

wire();
// For scripts driving the page (the Chromium benchmark): the loaded bundle.
Object.defineProperty(window, 'lmrec', { value: { get bundle() { return state.bundle; } } });
const initial = params.get('bundle') ?? 'bundles/demo/manifest.json';
($('bundle-url') as HTMLInputElement).value = initial;
void open(initial, initial);

/** Minimal self-contained SVG charts for the HTML report (no scripts, no CDN). */
import { escapeXml, legend, marker, seriesStyle, type SeriesStyle } from './style.js';

export { escapeXml };

export interface Series {
  name: string;
  points: [number, number][];
  /** Defaults to the i-th style; pass one to keep a model's look across charts. */
  style?: SeriesStyle;
}

interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

const FRAME: Frame = { width: 520, height: 280, left: 62, right: 16, top: 28, bottom: 44 };

/** Round tick values covering [lo, hi]; `integer` keeps them whole (epochs). */
export function niceTicks(lo: number, hi: number, count = 5, integer = false): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (hi === lo) hi = lo + (Math.abs(lo) || 1);
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const nice = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const step = integer ? Math.max(1, Math.ceil(nice)) : nice;
  const ticks: number[] = [];
  for (let v = Math.floor(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  if (ticks[ticks.length - 1] < hi) ticks.push(ticks[ticks.length - 1] + step);
  return ticks;
}

function fmt(v: number): string {
  return Math.abs(v) >= 1000 ? v.toLocaleString('en-US') : String(Number(v.toPrecision(4)));
}

function svg(f: Frame, title: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${f.width}" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" role="img" aria-label="${escapeXml(title)}"><text x="8" y="17" font-size="13" font-weight="600">${escapeXml(clip(title, (f.width - 16) / 8))}</text>${body}</svg>`;
}

/** Text cut to fit `chars` characters (SVG text does not wrap); the full text stays in the legend or the tooltip. */
function clip(text: string, chars: number): string {
  const n = Math.max(4, Math.floor(chars));
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

/** A chart: the SVG plot and its HTML legend, in one figure. */
export function figure(plot: string, entries: { name: string; style: SeriesStyle }[] = []): string {
  return `<figure class="chart">${plot}${entries.length ? legend(entries) : ''}</figure>`;
}

function axes(f: Frame, xt: number[], yt: number[], sx: (x: number) => number, sy: (y: number) => number, xLabel: string, yLabel: string): string {
  const out: string[] = [];
  for (const y of yt) {
    out.push(`<line x1="${f.left}" x2="${f.width - f.right}" y1="${sy(y)}" y2="${sy(y)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${f.left - 6}" y="${sy(y) + 4}" text-anchor="end" font-size="11">${fmt(y)}</text>`);
  }
  const every = Math.max(1, Math.ceil(xt.length / 10));
  xt.forEach((x, i) => {
    if (i % every === 0) out.push(`<text x="${sx(x)}" y="${f.height - f.bottom + 16}" text-anchor="middle" font-size="11">${fmt(x)}</text>`);
  });
  out.push(`<line x1="${f.left}" x2="${f.width - f.right}" y1="${f.height - f.bottom}" y2="${f.height - f.bottom}" stroke="#333"/>`);
  out.push(`<line x1="${f.left}" x2="${f.left}" y1="${f.top}" y2="${f.height - f.bottom}" stroke="#333"/>`);
  out.push(`<text x="${(f.left + f.width - f.right) / 2}" y="${f.height - 8}" text-anchor="middle" font-size="12">${escapeXml(clip(xLabel, 40))}</text>`);
  out.push(`<text transform="translate(14 ${(f.top + f.height - f.bottom) / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escapeXml(clip(yLabel, (f.height - f.top - f.bottom) / 7))}</text>`);
  return out.join('');
}

export interface LineOptions {
  /** Evenly spaced x positions (K values). */
  categoricalX?: boolean;
  /** A smaller panel (small multiples). */
  small?: boolean;
  /** Start the y axis at 0 (default true). */
  fromZero?: boolean;
}

/** Lines with markers over numeric x (epochs, K, alpha); each series its own colour, dash and marker; the legend in HTML. */
export function lineChart(title: string, series: Series[], xLabel: string, yLabel: string, options: LineOptions = {}): string {
  const f = options.small ? { ...FRAME, width: 300, height: 200, left: 54, bottom: 38 } : FRAME;
  const styled = series.map((s, i) => ({ ...s, style: s.style ?? seriesStyle(i) }));
  const all = styled.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  if (all.length === 0) return figure(svg(f, title, `<text x="${f.left + 10}" y="${f.top + 40}" font-size="12">no data</text>`));
  const xsUnique = [...new Set(all.map(([x]) => x))].sort((a, b) => a - b);
  const ys = all.map(([, y]) => y);
  const yt = niceTicks(options.fromZero === false ? Math.min(...ys) : Math.min(0, ...ys), Math.max(...ys));
  const xt = options.categoricalX ? xsUnique : niceTicks(Math.min(...xsUnique), Math.max(...xsUnique), 5, xsUnique.every(Number.isInteger));
  const plotW = f.width - f.left - f.right;
  const plotH = f.height - f.top - f.bottom;
  const sx = options.categoricalX
    ? (x: number) => f.left + ((xsUnique.indexOf(x) + 0.5) / xsUnique.length) * plotW
    : (x: number) => f.left + ((x - xt[0]) / (xt[xt.length - 1] - xt[0] || 1)) * plotW;
  const sy = (y: number) => f.top + plotH - ((y - yt[0]) / (yt[yt.length - 1] - yt[0] || 1)) * plotH;
  const paths = styled
    .map((s) => {
      const pts = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
      if (pts.length === 0) return '';
      const d = pts.map(([x, y], j) => `${j ? 'L' : 'M'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join('');
      const dots = pts.length <= 60 ? pts.map(([x, y]) => marker(s.style, sx(x), sy(y), 2.5)).join('') : '';
      return `<g><title>${escapeXml(s.name)}</title><path d="${d}" fill="none" stroke="${s.style.color}" stroke-width="2" stroke-dasharray="${s.style.dash}"/>${dots}</g>`;
    })
    .join('');
  return figure(svg(f, title, axes(f, xt, yt, sx, sy, xLabel, yLabel) + paths), styled.map((s) => ({ name: s.name, style: s.style })));
}

/** Horizontal bars (mean with an optional +-se whisker); the full names on the left, the SVG as wide as they need. */
export function barChart(title: string, bars: { name: string; value: number; error?: number; style?: SeriesStyle }[], xLabel: string): string {
  const labelChars = Math.min(64, Math.max(8, ...bars.map((b) => b.name.length)));
  const left = 16 + labelChars * 6.4;
  const f: Frame = { width: Math.round(left + 380), height: 56 + Math.max(1, bars.length) * 22, left, right: 24, top: 28, bottom: 34 };
  if (bars.length === 0) return figure(svg(f, title, `<text x="16" y="${f.top + 20}" font-size="12">no data</text>`));
  const xt = niceTicks(Math.min(0, ...bars.map((b) => b.value)), Math.max(...bars.map((b) => b.value + (b.error ?? 0))));
  const plotW = f.width - f.left - f.right;
  const sx = (x: number) => f.left + ((x - xt[0]) / (xt[xt.length - 1] - xt[0] || 1)) * plotW;
  const body = bars
    .map((b, i) => {
      const y = f.top + i * 22 + 3;
      const style = b.style ?? seriesStyle(i);
      const x0 = sx(Math.min(0, b.value));
      const w = Math.abs(sx(b.value) - sx(0));
      const err = b.error ? `<line x1="${sx(b.value - b.error)}" x2="${sx(b.value + b.error)}" y1="${y + 8}" y2="${y + 8}" stroke="#222"/>` : '';
      const name = `<text x="${f.left - 6}" y="${y + 12}" text-anchor="end" font-size="11">${escapeXml(clip(b.name, labelChars))}</text>`;
      return `${name}<rect x="${x0.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="16" fill="${style.color}"><title>${escapeXml(`${b.name}: ${fmt(b.value)}${b.error ? ` ± ${fmt(b.error)}` : ''}`)}</title></rect>${err}`;
    })
    .join('');
  const grid = xt.map((x) => `<line x1="${sx(x)}" x2="${sx(x)}" y1="${f.top}" y2="${f.height - f.bottom}" stroke="#e5e5e5"/><text x="${sx(x)}" y="${f.height - f.bottom + 14}" text-anchor="middle" font-size="11">${fmt(x)}</text>`).join('');
  const axis = `<line x1="${f.left}" x2="${f.left}" y1="${f.top}" y2="${f.height - f.bottom}" stroke="#333"/><text x="${f.left + plotW / 2}" y="${f.height - 6}" text-anchor="middle" font-size="12">${escapeXml(clip(xLabel, 50))}</text>`;
  return figure(svg(f, title, grid + body + axis));
}

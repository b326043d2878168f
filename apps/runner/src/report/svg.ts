/** Minimal self-contained SVG charts for the HTML report (no scripts, no CDN). */

export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];

export interface Series {
  name: string;
  points: [number, number][];
  /** Defaults to the palette by position; pass one to keep a model's colour across charts. */
  color?: string;
}

interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

const FRAME: Frame = { width: 560, height: 300, left: 58, right: 150, top: 28, bottom: 44 };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Round tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (hi === lo) {
    hi = lo + (Math.abs(lo) || 1);
  }
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let v = Math.floor(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  if (ticks[ticks.length - 1] < hi) ticks.push(ticks[ticks.length - 1] + step);
  return ticks;
}

function fmt(v: number): string {
  return Math.abs(v) >= 1000 ? v.toLocaleString('en-US') : String(Number(v.toPrecision(4)));
}

function axes(f: Frame, xt: number[], yt: number[], sx: (x: number) => number, sy: (y: number) => number, xLabel: string, yLabel: string, xLabels?: string[]): string {
  const out: string[] = [];
  for (const y of yt) {
    out.push(`<line x1="${f.left}" x2="${f.width - f.right}" y1="${sy(y)}" y2="${sy(y)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${f.left - 6}" y="${sy(y) + 4}" text-anchor="end" font-size="11">${fmt(y)}</text>`);
  }
  xt.forEach((x, i) => {
    out.push(`<text x="${sx(x)}" y="${f.height - f.bottom + 16}" text-anchor="middle" font-size="11">${escapeXml(xLabels?.[i] ?? fmt(x))}</text>`);
  });
  out.push(`<line x1="${f.left}" x2="${f.width - f.right}" y1="${f.height - f.bottom}" y2="${f.height - f.bottom}" stroke="#333"/>`);
  out.push(`<line x1="${f.left}" x2="${f.left}" y1="${f.top}" y2="${f.height - f.bottom}" stroke="#333"/>`);
  out.push(`<text x="${(f.left + f.width - f.right) / 2}" y="${f.height - 8}" text-anchor="middle" font-size="12">${escapeXml(xLabel)}</text>`);
  out.push(`<text transform="translate(14 ${(f.top + f.height - f.bottom) / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escapeXml(yLabel)}</text>`);
  return out.join('');
}

function legend(f: Frame, names: string[], colors: string[]): string {
  return names
    .map((name, i) => {
      const y = f.top + 6 + i * 18;
      const x = f.width - f.right + 12;
      return `<rect x="${x}" y="${y - 9}" width="12" height="12" fill="${colors[i]}"/><text x="${x + 18}" y="${y + 1}" font-size="11">${escapeXml(name.length > 20 ? `${name.slice(0, 19)}…` : name)}</text>`;
    })
    .join('');
}

function svg(f: Frame, title: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="${f.width}" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" role="img" aria-label="${escapeXml(title)}"><text x="${f.left}" y="16" font-size="13" font-weight="600">${escapeXml(title)}</text>${body}</svg>`;
}

/** Lines with markers; x numeric (epochs, K). `logX` spaces K values evenly. */
export function lineChart(title: string, series: Series[], xLabel: string, yLabel: string, options: { categoricalX?: boolean } = {}): string {
  const f = FRAME;
  const all = series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  if (all.length === 0) return svg(f, title, `<text x="${f.left + 10}" y="${f.top + 40}" font-size="12">no data</text>`);
  const xsUnique = [...new Set(all.map(([x]) => x))].sort((a, b) => a - b);
  const ys = all.map(([, y]) => y);
  const yt = niceTicks(Math.min(0, ...ys), Math.max(...ys));
  const xt = options.categoricalX ? xsUnique : niceTicks(Math.min(...xsUnique), Math.max(...xsUnique));
  const plotW = f.width - f.left - f.right;
  const plotH = f.height - f.top - f.bottom;
  const sx = options.categoricalX
    ? (x: number) => f.left + ((xsUnique.indexOf(x) + 0.5) / xsUnique.length) * plotW
    : (x: number) => f.left + ((x - xt[0]) / (xt[xt.length - 1] - xt[0] || 1)) * plotW;
  const sy = (y: number) => f.top + plotH - ((y - yt[0]) / (yt[yt.length - 1] - yt[0] || 1)) * plotH;
  const paths = series
    .map((s, i) => {
      const pts = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
      if (pts.length === 0) return '';
      const color = s.color ?? PALETTE[i % PALETTE.length];
      const d = pts.map(([x, y], j) => `${j ? 'L' : 'M'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join('');
      const dots = pts.map(([x, y]) => `<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="2.5" fill="${color}"/>`).join('');
      return `<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/>${dots}`;
    })
    .join('');
  return svg(f, title, axes(f, xt, yt, sx, sy, xLabel, yLabel) + paths + legend(f, series.map((s) => s.name), series.map((s, i) => s.color ?? PALETTE[i % PALETTE.length])));
}

/** Horizontal-category bar chart with optional error bars (mean +- se). */
export function barChart(title: string, bars: { name: string; value: number; error?: number; color?: string }[], yLabel: string): string {
  const f = { ...FRAME, right: 20, bottom: 90 };
  if (bars.length === 0) return svg(f, title, `<text x="${f.left + 10}" y="${f.top + 40}" font-size="12">no data</text>`);
  const values = bars.map((b) => b.value + (b.error ?? 0));
  const yt = niceTicks(Math.min(0, ...bars.map((b) => b.value)), Math.max(...values));
  const plotW = f.width - f.left - f.right;
  const plotH = f.height - f.top - f.bottom;
  const sy = (y: number) => f.top + plotH - ((y - yt[0]) / (yt[yt.length - 1] - yt[0] || 1)) * plotH;
  const slot = plotW / bars.length;
  const body = bars
    .map((b, i) => {
      const x = f.left + i * slot + slot * 0.15;
      const w = slot * 0.7;
      const top = sy(Math.max(0, b.value));
      const h = Math.abs(sy(b.value) - sy(0));
      const err = b.error ? `<line x1="${x + w / 2}" x2="${x + w / 2}" y1="${sy(b.value - b.error)}" y2="${sy(b.value + b.error)}" stroke="#222"/>` : '';
      const label = `<text transform="translate(${x + w / 2} ${f.height - f.bottom + 12}) rotate(35)" font-size="10">${escapeXml(b.name.length > 22 ? `${b.name.slice(0, 21)}…` : b.name)}</text>`;
      return `<rect x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${w.toFixed(1)}" height="${h.toFixed(1)}" fill="${b.color ?? PALETTE[i % PALETTE.length]}"><title>${escapeXml(`${b.name}: ${fmt(b.value)}`)}</title></rect>${err}${label}`;
    })
    .join('');
  const yAxis = yt.map((y) => `<line x1="${f.left}" x2="${f.width - f.right}" y1="${sy(y)}" y2="${sy(y)}" stroke="#e5e5e5"/><text x="${f.left - 6}" y="${sy(y) + 4}" text-anchor="end" font-size="11">${fmt(y)}</text>`).join('');
  const frame = `<line x1="${f.left}" x2="${f.left}" y1="${f.top}" y2="${f.height - f.bottom}" stroke="#333"/><text transform="translate(14 ${(f.top + f.height - f.bottom) / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escapeXml(yLabel)}</text>`;
  return svg(f, title, yAxis + frame + body);
}

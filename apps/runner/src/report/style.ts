/** Ten well-separated colours (Tableau 10). */
export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];

/** Line patterns: with the palette, 40 series each look different (solid first). */
export const DASHES = ['', '6 3', '2 3', '8 3 2 3'];

/** Marker shapes cycled with the dashes, so series differ without colour too. */
export const MARKERS = ['circle', 'square', 'triangle', 'diamond'] as const;

export interface SeriesStyle {
  color: string;
  dash: string;
  marker: (typeof MARKERS)[number];
}

/** The i-th series' look: colours first, then the next dash pattern and marker with the colours again. */
export function seriesStyle(i: number): SeriesStyle {
  const round = Math.floor(i / PALETTE.length);
  return { color: PALETTE[i % PALETTE.length], dash: DASHES[round % DASHES.length], marker: MARKERS[round % MARKERS.length] };
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A marker at (x, y) in the series' shape. */
export function marker(style: SeriesStyle, x: number, y: number, r = 3): string {
  const at = (dx: number, dy: number) => `${(x + dx).toFixed(1)},${(y + dy).toFixed(1)}`;
  switch (style.marker) {
    case 'circle':
      return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${r}" fill="${style.color}"/>`;
    case 'square':
      return `<rect x="${(x - r).toFixed(1)}" y="${(y - r).toFixed(1)}" width="${2 * r}" height="${2 * r}" fill="${style.color}"/>`;
    case 'triangle':
      return `<polygon points="${at(0, -r - 1)} ${at(r + 1, r)} ${at(-r - 1, r)}" fill="${style.color}"/>`;
    case 'diamond':
      return `<polygon points="${at(0, -r - 1)} ${at(r + 1, 0)} ${at(0, r + 1)} ${at(-r - 1, 0)}" fill="${style.color}"/>`;
  }
}

/** A legend as HTML (it wraps, so full labels never overflow): a line-and-marker swatch per series. */
export function legend(entries: { name: string; style: SeriesStyle }[]): string {
  const items = entries.map(({ name, style }) => {
    const swatch = `<svg width="28" height="12" aria-hidden="true"><line x1="1" x2="27" y1="6" y2="6" stroke="${style.color}" stroke-width="2" stroke-dasharray="${style.dash}"/>${marker(style, 14, 6, 3)}</svg>`;
    return `<li>${swatch}<span>${escapeXml(name)}</span></li>`;
  });
  return `<ul class="legend">${items.join('')}</ul>`;
}

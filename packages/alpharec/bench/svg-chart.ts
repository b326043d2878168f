/** A small log-log line chart as SVG text (no plotting dependency for one benchmark figure). */
export function lineChart(title: string, series: Record<string, [number, number][]>): string {
  const W = 560;
  const H = 360;
  const m = { l: 70, r: 20, t: 40, b: 50 };
  const pts = Object.values(series).flat();
  const lx = pts.map(([x]) => Math.log10(x));
  const ly = pts.map(([, y]) => Math.log10(Math.max(y, 1e-6)));
  const [x0, x1] = [Math.floor(Math.min(...lx)), Math.ceil(Math.max(...lx))];
  const [y0, y1] = [Math.floor(Math.min(...ly)), Math.ceil(Math.max(...ly))];
  const px = (x: number) => m.l + ((Math.log10(x) - x0) / Math.max(x1 - x0, 1)) * (W - m.l - m.r);
  const py = (y: number) => H - m.b - ((Math.log10(Math.max(y, 1e-6)) - y0) / Math.max(y1 - y0, 1)) * (H - m.t - m.b);
  const colors = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`, `<rect width="${W}" height="${H}" fill="white"/>`];
  parts.push(`<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${title}</text>`);
  for (let e = x0; e <= x1; e++) parts.push(`<line x1="${px(10 ** e)}" x2="${px(10 ** e)}" y1="${m.t}" y2="${H - m.b}" stroke="#ddd"/><text x="${px(10 ** e)}" y="${H - m.b + 16}" text-anchor="middle">1e${e}</text>`);
  for (let e = y0; e <= y1; e++) parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${py(10 ** e)}" y2="${py(10 ** e)}" stroke="#ddd"/><text x="${m.l - 6}" y="${py(10 ** e) + 4}" text-anchor="end">1e${e}</text>`);
  parts.push(`<text x="${W / 2}" y="${H - 10}" text-anchor="middle">interactions</text>`);
  Object.entries(series).forEach(([name, s], k) => {
    const c = colors[k % colors.length];
    parts.push(`<polyline fill="none" stroke="${c}" stroke-width="2" points="${s.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ')}"/>`);
    for (const [x, y] of s) parts.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3" fill="${c}"/>`);
    parts.push(`<text x="${m.l + 10}" y="${m.t + 16 + 16 * k}" fill="${c}">${name}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

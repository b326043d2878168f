import type { RecommendedItem } from '@lmrec/browser';

export const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};

/** Titles containing every word of the query (case-insensitive), first `limit`, picked ones left out. */
export function searchTitles(titles: readonly string[], query: string, picked: ReadonlySet<number>, limit = 12): number[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return [];
  const out: number[] = [];
  for (let j = 0; j < titles.length && out.length < limit; j++) {
    const t = titles[j].toLowerCase();
    if (!picked.has(j) && words.every((w) => t.includes(w))) out.push(j);
  }
  return out;
}

export function renderMatches(list: HTMLElement, titles: readonly string[], items: number[], pick: (j: number) => void): void {
  list.replaceChildren(...items.map((j) => el('li', { onclick: () => pick(j), title: `item ${j}` }, titles[j] || `item ${j}`)));
}

export function renderPicked(list: HTMLElement, titles: readonly string[], picked: readonly number[], drop: (j: number) => void): void {
  list.replaceChildren(
    ...picked.map((j) => {
      const li = el('li', {}, titles[j] || `item ${j}`, el('button', { onclick: () => drop(j), ariaLabel: `remove ${titles[j]}` }, '×'));
      li.dataset.item = String(j);
      return li;
    }),
  );
}

export function renderTop(body: HTMLElement, items: readonly RecommendedItem[]): void {
  body.replaceChildren(
    ...items.map((r) => {
      const row = el('tr', {}, el('td', {}, String(r.rank)), el('td', {}, r.id), el('td', {}, r.title), el('td', { className: 'score' }, r.score.toFixed(4)));
      row.dataset.item = String(r.item);
      row.dataset.score = String(r.score);
      return row;
    }),
  );
}

/** Train interactions of each recommended item, against the catalogue's median and maximum. */
export function renderPopularity(box: HTMLElement, items: readonly RecommendedItem[], degree: Int32Array): void {
  const sorted = Int32Array.from(degree).sort();
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const max = Math.max(1, sorted[sorted.length - 1] ?? 1);
  const rankOf = (d: number) => {
    let lo = 0;
    while (lo < sorted.length && sorted[lo] < d) lo++;
    return Math.round((100 * lo) / Math.max(1, sorted.length));
  };
  const fill = (cls: string, share: number) => {
    const div = el('div', { className: cls });
    div.style.width = `${(100 * share).toFixed(1)}%`;
    return div;
  };
  const bar = (label: string, value: number, note: string, cls = '') => el('div', { className: 'bar' }, el('span', { title: label }, label), fill(cls, value / max), el('span', {}, note));
  const mean = items.reduce((s, r) => s + r.popularity, 0) / Math.max(1, items.length);
  box.replaceChildren(
    el('p', { className: 'note' }, `Train interactions per recommended item (catalogue median ${median}, max ${max}); the top-${items.length} average ${mean.toFixed(1)}.`),
    bar('catalogue median', median, String(median), 'median'),
    ...items.map((r) => bar(r.title || r.id, r.popularity, `${r.popularity} · p${rankOf(r.popularity)}`)),
  );
}

import { changes, type Change } from './hash.js';

/** How a changed leaf of a step's key material is told: a data file's content, a plugin's package or version, else the config. */
function categoryOf(path: string): string {
  const parts = path.split('.');
  if (parts.includes('files')) return 'data changed';
  if (parts[parts.length - 2] === 'plugin') return 'plugin changed';
  return 'config changed';
}

const show = (v: unknown) => (v === undefined ? 'unset' : typeof v === 'string' ? v : JSON.stringify(v));

/** A readable name of a changed leaf: "lr", "plugin version", the data file's name. */
function nameOf(change: Change): string {
  const parts = change.path.split('.');
  const files = parts.indexOf('files');
  if (files >= 0 && parts.length > files + 2) return parts.slice(files + 1, -1).join('.');
  if (parts[parts.length - 2] === 'plugin') return `plugin ${parts[parts.length - 1]}`;
  return parts[parts.length - 1];
}

function describe(change: Change): string {
  if (/sha256|size$/.test(change.path)) return nameOf(change);
  return `${nameOf(change)} ${show(change.before)} -> ${show(change.after)}`;
}

/**
 * One line saying why a finished step cannot be reused:
 * "config changed (lr 0.001 -> 0.05, epochs 5 -> 8)".
 */
export function explainChange(before: unknown, after: unknown): string {
  const all = changes(before, after);
  if (all.length === 0) return 'its key changed';
  const groups = new Map<string, string[]>();
  for (const change of all) {
    const category = categoryOf(change.path);
    const list = groups.get(category) ?? [];
    const text = describe(change);
    if (!list.includes(text)) list.push(text);
    groups.set(category, list);
  }
  return [...groups]
    .map(([category, list]) => `${category} (${list.slice(0, 4).join(', ')}${list.length > 4 ? `, and ${list.length - 4} more` : ''})`)
    .join('; ');
}

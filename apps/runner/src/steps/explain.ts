import { changes, type Change } from './hash.js';

/** Top-level sections of a step's key material and how a change in each is told. */
const CATEGORY: Record<string, string> = {
  plugin: 'plugin changed',
  data: 'data changed',
  deps: 'inputs changed',
  lmrec: 'lmrec changed',
};

const show = (v: unknown) => (v === undefined ? 'unset' : typeof v === 'string' ? v : JSON.stringify(v));

/** A readable name of a changed leaf: "lr", "ItemEmbeddings dim", the data file's name. */
function nameOf(change: Change): string {
  const parts = change.path.split('.');
  const files = parts.indexOf('files');
  if (files >= 0 && parts.length > files + 2) return parts.slice(files + 1, -1).join('.');
  const rest = parts.slice(1).filter((p) => p !== 'options' && p !== 'material');
  if (parts[0] === 'deps') return rest.join(' ');
  return rest.length ? rest[rest.length - 1] : parts[0];
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
    const category = CATEGORY[change.path.split('.')[0]] ?? 'config changed';
    const list = groups.get(category) ?? [];
    const text = describe(change);
    if (!list.includes(text)) list.push(text);
    groups.set(category, list);
  }
  return [...groups]
    .map(([category, list]) => `${category} (${list.slice(0, 4).join(', ')}${list.length > 4 ? `, and ${list.length - 4} more` : ''})`)
    .join('; ');
}

import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every depth: equal values give equal text. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The content hash of a value (its stable JSON). */
export function hashOf(value: unknown): string {
  return sha256(stableStringify(value));
}

/** Leaves of a JSON value by dotted path ("options.lr" -> 0.001); arrays of scalars stay one leaf. */
export function flatten(value: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  const scalarArray = Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object');
  if (value && typeof value === 'object' && !scalarArray) {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) out.set(prefix, Array.isArray(value) ? [] : {});
    for (const [k, v] of entries) if (v !== undefined) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, value);
  }
  return out;
}

export interface Change {
  path: string;
  before: unknown;
  after: unknown;
}

/** Leaf paths whose values differ between two JSON values (added and removed leaves included). */
export function changes(before: unknown, after: unknown): Change[] {
  const a = flatten(before);
  const b = flatten(after);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  return paths.filter((p) => stableStringify(a.get(p)) !== stableStringify(b.get(p))).map((path) => ({ path, before: a.get(path), after: b.get(path) }));
}

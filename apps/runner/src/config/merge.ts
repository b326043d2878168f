import { LmrecError } from '@lmrec/core';

/** Keys that would reach an object's prototype instead of the object: never merged. */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

export function assertSafeKey(key: string, where: string): void {
  if (FORBIDDEN.has(key)) throw new LmrecError('E_CONFIG', `the key "${key}" is not allowed (it would change every object's prototype)`, { field: where });
}

/** Every key of a parsed config tree, checked (YAML and JSON may carry "__proto__" as a plain key). */
export function assertSafeTree(value: unknown, path: string[] = []): void {
  if (!value || typeof value !== 'object') return;
  for (const key of Object.keys(value)) {
    assertSafeKey(key, [...path, key].join('.'));
    assertSafeTree((value as Record<string, unknown>)[key], [...path, key]);
  }
}

/**
 * Set a dotted key ("models.0.options.lr") on a deep copy of a plain config
 * object. Prototype keys are refused; a missing level becomes an object.
 */
export function withKey<T>(config: T, dotted: string, value: unknown): T {
  const parts = dotted.split('.');
  for (const part of parts) assertSafeKey(part, dotted);
  assertSafeTree(value, parts);
  const copy = structuredClone(config) as Record<string, unknown>;
  let node: Record<string, unknown> = copy;
  for (const part of parts.slice(0, -1)) {
    const next = Object.prototype.hasOwnProperty.call(node, part) ? node[part] : undefined;
    if (next === undefined) node[part] = {};
    else if (typeof next !== 'object' || next === null) throw new LmrecError('E_CONFIG', `cannot set "${dotted}": "${part}" is not a section`, { field: dotted });
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]] = structuredClone(value);
  return copy as T;
}

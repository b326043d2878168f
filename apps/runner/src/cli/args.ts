import { UsageError } from './errors.js';

/** A whole number >= min from a flag ("--k 10"); anything else is a usage error naming the flag. */
export function intArg(value: unknown, flag: string, min = 0): number {
  const text = String(value ?? '').trim();
  if (!/^[+]?\d+$/.test(text)) throw new UsageError(`--${flag} must be a whole number${min > 0 ? ` >= ${min}` : ''}, got "${String(value ?? '')}"`, flag);
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`--${flag} must be a whole number >= ${min}, got ${text}`, flag);
  return n;
}

/** A comma-separated list of whole numbers ("3,17,42"). */
export function intListArg(value: unknown, flag: string, min = 0): number[] {
  const parts = String(value ?? '')
    .split(',')
    .map((p) => p.trim());
  if (parts.length === 0 || parts.some((p) => p === '')) throw new UsageError(`--${flag} must be comma-separated whole numbers, e.g. 3,17,42; got "${String(value ?? '')}"`, flag);
  return parts.map((p) => intArg(p, flag, min));
}

/** A number in [lo, hi]. */
export function numberArg(value: unknown, flag: string, lo: number, hi: number): number {
  const text = String(value ?? '').trim();
  const n = text === '' ? NaN : Number(text);
  if (!Number.isFinite(n) || n < lo || n > hi) throw new UsageError(`--${flag} must be a number in [${lo}, ${hi}], got "${String(value ?? '')}"`, flag);
  return n;
}

/** One of a fixed set of words. */
export function choiceArg<T extends string>(value: unknown, flag: string, choices: readonly T[]): T {
  if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${flag} must be one of ${choices.join(', ')}, got "${String(value ?? '')}"`, flag);
}

/** Flags that only make sense together (or never together). */
export function exclusive(values: Record<string, unknown>, flags: string[], required: boolean): string | undefined {
  const given = flags.filter((f) => values[f] !== undefined && values[f] !== false);
  if (given.length > 1) throw new UsageError(`give one of ${flags.map((f) => `--${f}`).join(', ')}, not ${given.map((f) => `--${f}`).join(' and ')}`);
  if (required && given.length === 0) throw new UsageError(`give one of ${flags.map((f) => `--${f}`).join(', ')}`);
  return given[0];
}

export function onlyWith(values: Record<string, unknown>, flag: string, needs: string[]): void {
  if (values[flag] !== undefined && values[flag] !== false && !needs.some((n) => values[n] !== undefined && values[n] !== false)) {
    throw new UsageError(`--${flag} only goes with ${needs.map((n) => `--${n}`).join(' or ')}`, flag);
  }
}

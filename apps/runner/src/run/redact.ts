/** What replaces a secret in results.json and report.html. */
export const REDACTED = '[redacted]';

/** Words that make a key's value a secret: "apiKey", "api_key", "accessToken", "clientSecret", "password". */
const SECRET_WORDS = new Set(['key', 'apikey', 'token', 'secret', 'password', 'passwd', 'pwd', 'credential', 'credentials', 'authorization', 'auth', 'cookie', 'signature', 'sig']);

/** "apiKeyEnv" -> ["api", "key", "env"]; "x-api-key" -> ["x", "api", "key"]. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export function isSecretKey(name: string): boolean {
  const w = words(name);
  return w.some((part) => SECRET_WORDS.has(part)) || SECRET_WORDS.has(w.join(''));
}

const URL_RE = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi;

/** Credentials inside URLs: "https://user:pw@host" and "?api_key=..." / "&token=..." lose their values. */
export function redactUrls(text: string): string {
  return text.replace(URL_RE, (url) =>
    url
      .replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@\s]*@/i, `$1${REDACTED}@`)
      .replace(/([?&#;])([^=&#\s]+)=([^&#\s]*)/g, (all, sep: string, name: string) => (isSecretKey(decodeURIComponentSafe(name)) ? `${sep}${name}=${REDACTED}` : all)),
  );
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * A deep copy with secrets removed: the value of every key whose name reads
 * as a secret (key, token, secret, password, ...), and credentials inside
 * any URL in any string.
 */
export function redact<T>(value: T): T {
  return walk(value) as T;
}

function walk(value: unknown): unknown {
  if (typeof value === 'string') return redactUrls(value);
  if (Array.isArray(value)) return value.map(walk);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, isSecretKey(k) && v !== null && v !== undefined && typeof v !== 'boolean' ? REDACTED : walk(v)]));
  }
  return value;
}

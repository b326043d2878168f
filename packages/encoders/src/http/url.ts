import { LmrecError } from '@lmrec/core';

/** A server URL split into what may be shown and what must not be. */
export interface EndpointUrl {
  /** protocol://host/path, without credentials or query: for ids, messages and logs. */
  shown: string;
  /** What requests go to: the path and query, without the credentials (fetch refuses them in a URL). */
  request: string;
  /** user:password from the URL, sent as HTTP Basic auth instead. */
  basicAuth?: string;
  /** Every secret the URL held (password, user:password, its Basic token, query values), to redact from anything echoed back. */
  secrets: string[];
  /** The query's parameter names, to redact `name=value` forms whatever the value's length. */
  queryKeys: string[];
}

/**
 * Splits `baseUrl` + `suffix` (e.g. "/embeddings"): credentials become a
 * Basic auth header, the query is kept for requests only, and neither ever
 * appears in `shown`.
 */
export function endpointUrl(baseUrl: string, suffix: string, owner = 'openai encoder', field = 'baseUrl'): EndpointUrl {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new LmrecError('E_ARGUMENT', `${owner}: ${field} is not a URL`, { field });
  }
  const path = `${url.pathname.replace(/\/+$/, '')}${suffix}`;
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  const token = user || password ? Buffer.from(`${user}:${password}`).toString('base64') : undefined;
  const queryValues = [...url.searchParams.values()];
  // The user name alone is not redacted as a substring (it is often a plain word); with the password it is.
  const credentials = token ? [`${user}:${password}`, `${url.username}:${url.password}`, password, url.password, token] : [];
  const secrets = [...credentials, ...queryValues, ...queryValues.map(encodeURIComponent)].filter((s) => s.length > 0);
  return {
    shown: `${url.protocol}//${url.host}${path}`,
    request: `${url.protocol}//${url.host}${path}${url.search}`,
    ...(token ? { basicAuth: `Basic ${token}` } : {}),
    secrets: [...new Set(secrets)],
    queryKeys: [...new Set(url.searchParams.keys())],
  };
}

/** The URL of `baseUrl` as it may be shown (no credentials, no query). */
export function displayUrl(baseUrl: string): string {
  try {
    return endpointUrl(baseUrl, '').shown;
  } catch {
    return '(invalid URL)';
  }
}

/**
 * `text` with every secret replaced by ***: API keys, URL credentials (also
 * as a user:password@ prefix) and query values (also as key=value, so a
 * one-letter value is caught where it appears as a parameter).
 */
export function redactSecrets(text: string, secrets: readonly string[], queryKeys: readonly string[] = []): string {
  let out = text.replace(/\/\/[^/@\s]*@/g, '//***@');
  for (const key of queryKeys) out = out.split(`${key}=`).map((part, i) => (i === 0 ? part : part.replace(/^[^&\s"']*/, '***'))).join(`${key}=`);
  // Longest first, so a secret containing another is replaced whole; short ones only as parameters above.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) if (secret.length >= 4) out = out.split(secret).join('***');
  return out;
}

import { isLmrecError } from '@lmrec/core';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

export interface ErrorReply {
  status: number;
  body: { error: { code: string; message: string; field?: string } };
  /** Logged as an error (a 500): something broke, not the request. */
  internal: boolean;
}

/** LmrecError codes a request can cause, and their status. */
const REQUEST_CODES: Record<string, number> = {
  E_UNKNOWN_USER: 400,
  E_UNKNOWN_ITEM: 400,
  E_UNKNOWN_MODEL: 400,
  E_UNSUPPORTED: 400,
  E_ARGUMENT: 400,
  E_RANGE: 400,
  E_VALIDATION: 400,
  E_NOT_FOUND: 404,
};

/** Fastify's own request errors (body parsing, limits) and the codes we answer with. */
const FASTIFY_CODES: Record<string, [number, string, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'E_MALFORMED_JSON', 'the body is not valid JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'E_MALFORMED_JSON', 'the body is empty; send a JSON object'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'E_BODY_TOO_LARGE', 'the body is over the size limit'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'E_MEDIA_TYPE', 'send the body as application/json'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'E_BAD_REQUEST', 'the Content-Length does not match the body'],
};

/** zod path ['history', 2] -> "history[2]". */
export function fieldOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

export function toErrorReply(error: unknown, bodyLimit: number): ErrorReply {
  const reply = (status: number, code: string, message: string, field?: string): ErrorReply => ({
    status,
    body: { error: { code, message: oneLine(message), ...(field ? { field } : {}) } },
    internal: status >= 500,
  });
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issue = error.validation[0];
    const where = (error as { validationContext?: string }).validationContext;
    const path = issue.instancePath.split('/').filter(Boolean).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    const keys = (issue.params as { keys?: string[] }).keys;
    const field = keys?.length ? fieldOf([...path, keys[0]]) : fieldOf(path) || (where === 'body' ? 'body' : undefined);
    return reply(400, 'E_VALIDATION', `${field ? `field "${field}": ` : ''}${issue.message}`, field);
  }
  if (isLmrecError(error) && REQUEST_CODES[error.code]) return reply(REQUEST_CODES[error.code], error.code, error.message, error.field);
  const fastifyCode = (error as { code?: string }).code;
  if (fastifyCode && FASTIFY_CODES[fastifyCode]) {
    const [status, code, message] = FASTIFY_CODES[fastifyCode];
    return reply(status, code, fastifyCode === 'FST_ERR_CTP_BODY_TOO_LARGE' ? `${message} (${bodyLimit} bytes)` : message, 'body');
  }
  const status = (error as { statusCode?: number }).statusCode;
  if (status && status >= 400 && status < 500) return reply(status, 'E_BAD_REQUEST', (error as Error).message ?? 'bad request');
  return reply(500, 'E_INTERNAL', `internal error: ${(error as Error)?.message ?? String(error)}`);
}

function oneLine(text: string): string {
  const line = String(text).split('\n')[0];
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

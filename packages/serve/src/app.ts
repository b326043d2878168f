import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { toErrorReply } from './errors.js';
import { DEFAULT_MAX_K, ErrorSchema, HealthSchema, ItemParamsSchema, ItemSchema, ModelsResponseSchema, RecommendResponseSchema, recommendRequestSchema } from './schemas.js';
import type { RecommendService } from './service.js';

export interface AppOptions {
  /** Largest request body in bytes (default 1 MiB); larger -> 413. */
  bodyLimit?: number;
  /** Largest k a request may ask for (default 1000). */
  maxK?: number;
  /** Fastify's (pino) logger; default: warnings and errors to stderr. 500s are logged at error. */
  logger?: FastifyServerOptions['logger'];
  /** Shown in the OpenAPI document. */
  title?: string;
  version?: string;
}

const errors = { 400: ErrorSchema, 404: ErrorSchema, 413: ErrorSchema, 415: ErrorSchema, 500: ErrorSchema };

/**
 * The HTTP JSON API over a RecommendService: POST /v1/recommend,
 * GET /v1/items/:id, GET /v1/models, GET /healthz, GET /openapi.json.
 * Requests are validated by the zod schemas that also write the OpenAPI
 * document; every error is a JSON `{ error: { code, message, field } }`.
 */
export async function buildApp(service: RecommendService, options: AppOptions = {}): Promise<FastifyInstance> {
  const bodyLimit = options.bodyLimit ?? 1 << 20;
  const started = Date.now();
  const app = Fastify({ bodyLimit, logger: options.logger ?? { level: 'warn' }, return503OnClosing: true }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // JSON only: a text/plain body is a 415, not a string that fails validation.
  app.removeContentTypeParser('text/plain');
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: options.title ?? 'lmrec recommendations', version: options.version ?? '1' },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  // Requests still in flight when close() starts get "Connection: close", so
  // their keep-alive sockets end with the answer instead of holding the process.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });

  app.setErrorHandler((error, request, reply) => {
    const out = toErrorReply(error, bodyLimit);
    if (out.internal) request.log.error({ err: error, url: request.url }, out.body.error.message);
    return reply.code(out.status).type('application/json').send(JSON.stringify(out.body));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).type('application/json').send(JSON.stringify({ error: { code: 'E_NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` } })),
  );

  app.post('/v1/recommend', { schema: { description: 'Top-k items for a user, a history (+ intention), or a conversation', body: recommendRequestSchema(options.maxK ?? DEFAULT_MAX_K), response: { 200: RecommendResponseSchema, ...errors } } }, (request) =>
    service.recommend(request.body),
  );
  app.get('/v1/items/:id', { schema: { description: 'One catalogue item', params: ItemParamsSchema, response: { 200: ItemSchema, ...errors } } }, async (request, reply) => {
    const item = await service.item(request.params.id);
    if (item) return item;
    return reply.code(404).send({ error: { code: 'E_UNKNOWN_ITEM', message: `field "id": item ${request.params.id} is not in the catalogue`, field: 'id' } });
  });
  app.get('/v1/models', { schema: { description: 'The models served and the inputs each takes', response: { 200: ModelsResponseSchema } } }, async () => ({ models: await service.models() }));
  app.get('/healthz', { schema: { description: 'Liveness', response: { 200: HealthSchema } } }, async () => ({
    status: 'ok' as const,
    models: (await service.models()).length,
    uptimeSeconds: (Date.now() - started) / 1000,
  }));
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.ready();
  return app;
}

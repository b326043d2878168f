import { z } from 'zod';

/**
 * The API's request and response shapes: the one source for validation
 * (fastify-type-provider-zod) and for the OpenAPI document (/openapi.json).
 */
export const DEFAULT_MAX_K = 1000;
export const MAX_LIST = 10_000;

const itemId = z.int().nonnegative().describe('Dense item id (0-based), as in the run\'s catalogue');

export const TurnSchema = z
  .strictObject({
    role: z.enum(['seeker', 'recommender']).describe('"seeker" is the user, "recommender" the system'),
    text: z.string().max(20_000).describe('What was said; item mentions written as titles'),
    items: z.array(itemId).max(1000).default([]).describe('Items mentioned in this turn (dense ids)'),
  })
  .meta({ id: 'Turn' });

export function recommendRequestSchema(maxK = DEFAULT_MAX_K) {
  return z
    .strictObject({
      model: z.string().min(1).max(200).optional().describe('Which model of the run answers (default: the first)'),
      user: z.int().nonnegative().optional().describe('A known user (dense id): their vector and their known items'),
      history: z.array(itemId).min(1).max(MAX_LIST).optional().describe('Items a new user interacted with'),
      intention: z.string().min(1).max(10_000).optional().describe('AlphaRec: a text saying what the user wants now (with user or history)'),
      alpha: z.number().min(0).max(1).optional().describe('AlphaRec: weight of the intention, (1 - alpha) u + alpha e_intent (default 0.5)'),
      conversation: z.array(TurnSchema).min(1).max(200).optional().describe('RTA: the dialogue so far, oldest turn first'),
      k: z.int().min(1).max(maxK).default(10).describe(`How many items (1..${maxK})`),
      exclude: z.array(itemId).max(MAX_LIST).default([]).describe('Items never to return'),
      includeSeen: z.boolean().default(false).describe('Also return the items the user already knows (their train items or the history)'),
      excludeMentioned: z.boolean().default(false).describe('Conversation only: drop the items mentioned in the turns (the RTA protocol keeps them)'),
    })
    .superRefine((body, ctx) => {
      const kinds = (['user', 'history', 'conversation'] as const).filter((key) => body[key] !== undefined);
      if (kinds.length !== 1) {
        ctx.addIssue({ code: 'custom', path: kinds.length ? [kinds[1]] : ['user'], message: kinds.length ? `give exactly one of user, history, conversation (got ${kinds.join(' and ')})` : 'give one of user, history, conversation' });
      }
      if (body.intention !== undefined && body.conversation !== undefined) ctx.addIssue({ code: 'custom', path: ['intention'], message: 'an intention goes with user or history, not with a conversation' });
      if (body.alpha !== undefined && body.intention === undefined) ctx.addIssue({ code: 'custom', path: ['alpha'], message: 'alpha needs an intention' });
      if (body.excludeMentioned && body.conversation === undefined) ctx.addIssue({ code: 'custom', path: ['excludeMentioned'], message: 'excludeMentioned applies to a conversation only' });
    });
}

export type RecommendRequest = z.output<ReturnType<typeof recommendRequestSchema>>;
export type Turn = z.output<typeof TurnSchema>;

export const RecommendedItemSchema = z
  .strictObject({ id: itemId, title: z.string(), score: z.number().describe("The model's score: dot product or cosine") })
  .meta({ id: 'RecommendedItem' });

export const RecommendResponseSchema = z
  .strictObject({
    model: z.string(),
    backend: z.enum(['exact', 'index']),
    items: z.array(RecommendedItemSchema).describe('Best first; fewer than k when fewer items are left'),
  })
  .meta({ id: 'RecommendResponse' });

export const ItemSchema = z.strictObject({ id: itemId, title: z.string() }).meta({ id: 'Item' });

export const ItemParamsSchema = z.strictObject({
  id: z.coerce.number().pipe(z.int().nonnegative()).describe('Dense item id'),
});

export const InputKindSchema = z.enum(['user', 'history', 'intention', 'conversation']);

export const ModelInfoSchema = z
  .strictObject({
    name: z.string(),
    backend: z.enum(['exact', 'index']),
    score: z.enum(['dot', 'cosine', 'model']).describe('dot product, cosine, or the model\'s own scores (not factorised)'),
    dim: z.int().describe('Vector width (0 when the model is not factorised)'),
    nItems: z.int(),
    nUsers: z.int(),
    inputs: z.array(InputKindSchema).describe('Which request kinds this model answers'),
    runKey: z.string().optional(),
    version: z.int().optional(),
  })
  .meta({ id: 'ModelInfo' });

export const ModelsResponseSchema = z.strictObject({ models: z.array(ModelInfoSchema) });

export const HealthSchema = z.strictObject({ status: z.literal('ok'), models: z.int(), uptimeSeconds: z.number() });

export const ErrorSchema = z
  .strictObject({
    error: z.strictObject({
      code: z.string().describe('Stable, machine-readable (E_VALIDATION, E_UNKNOWN_USER, ...)'),
      message: z.string().describe('One line for people; names the field'),
      field: z.string().optional().describe('The request field at fault, e.g. "history[2]"'),
    }),
  })
  .meta({ id: 'Error' });

export type ModelInfo = z.output<typeof ModelInfoSchema>;
export type InputKind = z.output<typeof InputKindSchema>;
export type RecommendResponse = z.output<typeof RecommendResponseSchema>;
export type ItemInfo = z.output<typeof ItemSchema>;

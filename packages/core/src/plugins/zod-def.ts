import type { z } from 'zod';

/** The parts of a zod 4 schema definition lmrec walks (options docs, path options). */
export type Def = { type: string; shape?: Record<string, z.ZodType>; innerType?: z.ZodType; element?: z.ZodType; options?: z.ZodType[]; valueType?: z.ZodType; items?: z.ZodType[]; in?: z.ZodType };

export const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

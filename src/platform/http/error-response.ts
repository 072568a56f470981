import { z } from 'zod';

/** The one error shape every route answers with. */
export const errorResponse = z
  .object({
    error: z.object({
      code: z.string().describe('stable machine-readable code'),
      message: z.string().describe("human message in the request's language"),
      details: z.unknown().optional(),
    }),
    request_id: z.string(),
  })
  .describe('error');

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

/** The error answers most routes can give, for a route's `response`. */
export const errorResponses = {
  400: errorResponse,
  401: errorResponse,
  403: errorResponse,
  404: errorResponse,
  409: errorResponse,
};

/** A record id in a path: a positive 32-bit integer (larger ones are not found, not an overflow). */
export const recordId = z.coerce
  .number()
  .int()
  .min(1)
  .max(2 ** 31 - 1);

/** The refusals a record's routes answer with, documented once. */
export const recordRefusals = {
  400: errorResponse,
  401: errorResponse,
  403: errorResponse,
  404: errorResponse,
  409: errorResponse,
};

import type { OwnTokenService } from './own-tokens.service.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { text } from '../../domain/report-line.js';
import { actorOf } from '../../access/index.js';
import { principalOf } from './auth.gate.js';
import { errorResponses as errors, recordId as id } from '../../platform/http/error-response.js';
import { token } from './token.schema.js';
import { SCOPES } from '../../access/index.js';

const config = { policy: 'me:read' as const };
const tags = ['account'];

/** The caller's own API tokens (the account page). */
export function ownTokenRoutes(services: { ownTokens: OwnTokenService }): FastifyPluginAsyncZod {
  const tokens = services.ownTokens;
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get('/me/tokens', {
      config,
      schema: {
        tags,
        summary: 'Your API tokens (never the tokens themselves)',
        response: { 200: z.array(token), ...errors },
      },
      handler: (request) => tokens.list(actorOf(request)),
    });

    app.post('/me/tokens', {
      config,
      schema: {
        tags,
        summary:
          'Issue yourself an API token (shown once, stored hashed); needs a signed-in session: a token cannot mint tokens',
        body: z.strictObject({
          label: text(100).min(1),
          scopes: z
            .array(z.enum(SCOPES))
            .min(1)
            .max(SCOPES.length)
            .optional()
            .describe('within your role; default: all your role has'),
          expires_in_days: z.number().int().min(1).max(365).default(90).describe('1 to 365 days; default 90'),
        }),
        response: { 201: z.object({ token: z.string() }), ...errors },
      },
      handler: async (request, reply) => {
        principalOf(request);
        const { label, scopes, expires_in_days } = request.body;
        const issued = await tokens.issue(actorOf(request), {
          label,
          ...(scopes ? { scopes } : {}),
          expiresInDays: expires_in_days,
        });
        return reply.status(201).send({ token: issued });
      },
    });

    app.delete('/me/tokens/:id', {
      config,
      schema: {
        tags,
        summary: 'Revoke one of your tokens',
        params: z.strictObject({ id }),
        response: { 204: z.null(), ...errors },
      },
      handler: async (request, reply) => {
        await tokens.revoke(actorOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    });
  };
}

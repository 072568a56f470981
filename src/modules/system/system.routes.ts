import { sql } from 'kysely';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ACTIONS, allowedActions } from '../../access/index.js';
import { actorOf } from '../../platform/http/auth-hook.js';
import { errorResponse } from '../../platform/http/error-response.js';
import type { Services } from '../../services.js';

export function systemRoutes(services: Services): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get('/health', {
      config: { policy: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Liveness and database reachability',
        response: { 200: z.object({ status: z.literal('ok'), database: z.string() }), 503: errorResponse },
      },
      handler: async () => {
        await sql`select 1`.execute(services.database.db);
        return { status: 'ok' as const, database: services.database.dialect.name };
      },
    });

    app.get('/me', {
      config: { policy: 'me:read' },
      schema: {
        tags: ['system'],
        summary: 'Who the token belongs to, and what it may do',
        response: {
          200: z.object({
            email: z.string(),
            role: z.string(),
            organization: z.string(),
            sectors: z.array(z.string()),
            actions: z
              .array(z.enum(ACTIONS))
              .describe("the actions you may take: your role's grants within your token's scopes"),
          }),
          401: errorResponse,
        },
      },
      handler: (request) => {
        const a = actorOf(request);
        return {
          email: a.email,
          role: a.role,
          organization: a.organizationName,
          sectors: [...a.sectors],
          actions: allowedActions(a),
        };
      },
    });

    app.get('/taxonomy', {
      config: { policy: 'taxonomy:read' },
      schema: {
        tags: ['system'],
        summary: 'Channels, event types, causes, attack types, stages and sectors with ja/en labels',
      },
      handler: () => services.taxonomy.data,
    });
  };
}

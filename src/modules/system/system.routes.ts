import type { Taxonomy } from '../../domain/taxonomy.js';
import type { Database } from '../../platform/db/database.js';
import { sql } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { allowedActions } from '../../access/index.js';
import { actorOf } from '../../access/request.js';
import { errorResponse } from '../../platform/http/error-response.js';
import { healthSchema, meSchema, taxonomySchema } from './system.schema.js';

export function systemRoutes(services: { database: Database; taxonomy: Taxonomy }): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get('/health', {
      config: { policy: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Liveness and database reachability',
        response: { 200: healthSchema, 503: errorResponse },
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
          200: meSchema,
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
          organization_sectors: [...(a.organizationSectors ?? [])],
          actions: allowedActions(a),
        };
      },
    });

    app.get('/taxonomy', {
      config: { policy: 'taxonomy:read' },
      schema: {
        tags: ['system'],
        summary: 'Channels, event types, causes, attack types, stages and sectors with ja/en labels',
        response: { 200: taxonomySchema, 401: errorResponse },
      },
      handler: () => services.taxonomy.data,
    });
  };
}

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../access/request.js';
import type { Quarter } from '../../domain/fiscal-calendar.js';
import type { Taxonomy } from '../../domain/taxonomy.js';
import { errorResponses as errors } from '../../platform/http/error-response.js';
import { incidentSchemas } from './incident.schema.js';
import { savedFilterSchemas } from './saved-filter.schema.js';
import type { SavedFilterService } from './saved-filter.service.js';

const tags = ['incidents'];

/** The caller's own saved filters of the incident list. */
export function savedFilterRoutes(services: {
  savedFilters: SavedFilterService;
  taxonomy: Taxonomy;
}): FastifyPluginAsyncZod {
  const s = savedFilterSchemas(incidentSchemas(services.taxonomy).listFilter);
  const filters = services.savedFilters;
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get('/saved-filters', {
      config: { policy: 'incidents:read' },
      schema: {
        tags,
        summary: 'Your saved filters of the incident list',
        response: { 200: s.list, ...errors },
      },
      handler: (request) => filters.list(actorOf(request)),
    });

    app.post('/saved-filters', {
      config: { policy: 'incidents:filters' },
      schema: {
        tags,
        summary: 'Save a filter of the incident list under a name (yours alone)',
        body: s.create,
        response: { 201: s.view, ...errors },
      },
      handler: async (request, reply) => {
        const { name, filter } = request.body;
        const saved = await filters.create(actorOf(request), {
          name,
          filter: { ...filter, quarter: filter.quarter as Quarter | undefined },
        });
        return reply.status(201).send(saved);
      },
    });

    app.delete('/saved-filters/:id', {
      config: { policy: 'incidents:filters' },
      schema: {
        tags,
        summary: 'Delete one of your saved filters',
        params: s.params,
        response: { 204: z.null(), ...errors },
      },
      handler: async (request, reply) => {
        await filters.delete(actorOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    });
  };
}

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../access/request.js';
import type { Quarter } from '../../domain/fiscal-calendar.js';
import { errorResponse } from '../../platform/http/error-response.js';
import type { PublicationService } from './publication.service.js';
import { documentQuery, documentResponse } from './publication.schema.js';

export function publicationRoutes(services: { publication: PublicationService }): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get('/publication/quarterly', {
      // Everyone may have the public edition; the service asks publication:full:read for the full one.
      config: { policy: 'publication:read' },
      schema: {
        tags: ['publication'],
        summary: 'The quarterly document (situation, statistics, lessons) for a fiscal quarter',
        querystring: documentQuery,
        response: {
          200: documentResponse,
          400: errorResponse,
          401: errorResponse,
          403: errorResponse,
          409: errorResponse,
        },
      },
      handler: async (request, reply) => {
        const q = request.query;
        const doc = await services.publication.render(actorOf(request), {
          fiscalYear: q.fy,
          quarter: q.quarter as Quarter,
          edition: q.edition,
          format: q.format,
          lang: q.lang,
          ...(q.issued_on ? { issuedOn: q.issued_on } : {}),
        });
        const disposition = q.format === 'html' ? 'inline' : 'attachment';
        return reply
          .type(doc.contentType)
          .header('content-disposition', `${disposition}; filename="${doc.filename}"`)
          .send(doc.body);
      },
    });
  };
}

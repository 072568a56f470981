import type { Taxonomy } from '../../domain/taxonomy.js';
import type { IncidentService } from './incident.service.js';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../access/request.js';
import { errorResponse } from '../../platform/http/error-response.js';
import type { Quarter } from '../../domain/fiscal-calendar.js';
import { incidentSchemas } from './incident.schema.js';
import { incidentCsv } from './incident.csv.js';
import { languageOf } from '../../platform/http/messages.js';
import { Readable } from 'node:stream';
import type { IncidentView, WriteReceipt } from './incident.view.js';

/** Answers with the incident and its strong ETag: its version, which every change increments. */
const sendWithEtag = (reply: FastifyReply, incident: IncidentView | WriteReceipt) =>
  reply.header('etag', `"v${incident.version}"`).send(incident);

/** The version an If-Match header names: none or `*` constrains nothing; an unknown tag never matches. */
export function expectedVersion(ifMatch: string | undefined): number | undefined {
  if (ifMatch === undefined || ifMatch.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"v(\d{1,9})"\s*$/.exec(ifMatch);
  return match ? Number(match[1]) : -1;
}

const errors = {
  400: errorResponse,
  401: errorResponse,
  403: errorResponse,
  404: errorResponse,
  409: errorResponse,
  // If-Match naming another version than the record's (a stage report, a classification).
  412: errorResponse,
};

export function incidentRoutes(services: {
  incidents: IncidentService;
  taxonomy: Taxonomy;
}): FastifyPluginAsyncZod {
  const s = incidentSchemas(services.taxonomy);
  const { incidents } = services;
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.post('/incidents', {
      config: { policy: 'incidents:write' },
      schema: {
        tags: ['incidents'],
        summary: 'Submit a report: a new incident, or a further stage of the one with the same ref',
        body: s.newReport,
        response: { 200: s.written, 201: s.written, ...errors },
      },
      handler: async (request, reply) => {
        const result = await incidents.submit(actorOf(request), request.body);
        return reply.status(result.created ? 201 : 200).send(result.incident);
      },
    });

    app.get('/incidents', {
      config: { policy: 'incidents:read' },
      schema: {
        tags: ['incidents'],
        summary: 'List incidents visible to you, newest first',
        querystring: s.listQuery,
        response: { 200: s.list, ...errors },
      },
      handler: (request) =>
        incidents.list(actorOf(request), {
          ...request.query,
          quarter: request.query.quarter as Quarter | undefined,
        }),
    });

    app.get('/incidents.csv', {
      config: { policy: 'incidents:read' },
      schema: {
        tags: ['incidents'],
        summary:
          'Every incident of the filtered list you may see, as CSV (UTF-8 with BOM), in the list order; labels in lang (default: Accept-Language)',
        querystring: s.exportQuery,
        response: { 200: s.csv, ...errors },
      },
      handler: async (request, reply) => {
        const { lang, ...query } = request.query;
        const rows = await incidents.exportList(actorOf(request), {
          ...query,
          quarter: query.quarter as Quarter | undefined,
        });
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="kyoyu-incidents.csv"')
          .send(
            Readable.from(
              incidentCsv(rows, services.taxonomy, lang ?? languageOf(request.headers['accept-language'])),
            ),
          );
      },
    });

    app.get('/incidents/:id', {
      config: { policy: 'incidents:read' },
      schema: {
        tags: ['incidents'],
        summary: 'One incident with all its stage reports',
        params: s.idParams,
        response: { 200: s.incident, ...errors },
      },
      handler: async (request, reply) => {
        const incident = await incidents.get(actorOf(request), request.params.id);
        return sendWithEtag(reply, incident);
      },
    });

    app.post('/incidents/:id/reports', {
      config: { policy: 'incidents:write' },
      schema: {
        tags: ['incidents'],
        summary: 'Add a stage report (update 続報, final 最終報); If-Match: only onto that version',
        params: s.idParams,
        body: s.stageReport,
        response: { 200: s.written, 201: s.written, ...errors },
      },
      handler: async (request, reply) => {
        const result = await incidents.addStage(
          actorOf(request),
          request.params.id,
          request.body,
          expectedVersion(request.headers['if-match']),
        );
        return reply.status(result.stageAdded ? 201 : 200).send(result.incident);
      },
    });

    app.put('/incidents/:id/classification', {
      config: { policy: 'incidents:classify' },
      schema: {
        tags: ['incidents'],
        summary: "Set the center's classification",
        params: s.idParams,
        body: s.classification,
        response: { 200: s.written, ...errors },
      },
      handler: async (request, reply) => {
        const { event, causes, attack_type } = request.body;
        const incident = await incidents.classify(
          actorOf(request),
          request.params.id,
          { event, causes, attackType: attack_type },
          expectedVersion(request.headers['if-match']),
        );
        return sendWithEtag(reply, incident);
      },
    });

    app.delete('/incidents/:id/classification', {
      config: { policy: 'incidents:classify' },
      schema: {
        tags: ['incidents'],
        summary: "Clear the center's classification (the reporter's counts again)",
        params: s.idParams,
        response: { 200: s.written, ...errors },
      },
      handler: async (request, reply) => {
        const incident = await incidents.classify(
          actorOf(request),
          request.params.id,
          null,
          expectedVersion(request.headers['if-match']),
        );
        return sendWithEtag(reply, incident);
      },
    });

    for (const [path, channel, policy, summary] of [
      ['/agency-shares', 'agency_share', 'shares:agency', 'Record an agency share'],
      ['/center-provisions', 'center_provision', 'shares:center', 'Record a center provision'],
    ] as const) {
      app.post(path, {
        config: { policy },
        schema: {
          tags: ['sharing'],
          summary,
          body: s.share,
          response: { 200: s.written, 201: s.written, ...errors },
        },
        handler: async (request, reply) => {
          const { ref, received_at, title, body, tlp } = request.body;
          const result = await incidents.submit(actorOf(request), {
            channel,
            ref,
            received_at,
            title,
            description: body,
            tlp,
          });
          return reply.status(result.created ? 201 : 200).send(result.incident);
        },
      });
    }
  };
}
